package io.github.compensation.jpajournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.journal.DurableRollbackCommands;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;

/**
 * The marker row joins a JPA transaction (J2 with {@code JpaTransactionManager}, T5). In a package of its own so that
 * the other Boot tests do not scan its entity.
 */
@SpringBootTest(properties = {"spring.datasource.url=jdbc:h2:mem:journal-jpa;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=create-drop", "compensation.journal.enabled=true",
        "compensation.journal.initialize-schema=true", "compensation.journal.worker=false"})
class JpaJournalTest {

    @Entity(name = "Booking")
    public static class Booking {
        @Id
        public String id;
    }

    @SpringBootApplication
    @EntityScan(basePackageClasses = JpaJournalTest.class)
    @Import({Flights.class, Bookings.class})
    static class App {
    }

    @Service
    public static class Flights {
        final List<String> cancelled = new CopyOnWriteArrayList<>();

        public void cancel(String id) {
            cancelled.add(id);
        }
    }

    @Service
    public static class Bookings {
        @PersistenceContext
        EntityManager entities;

        @Autowired
        DurableRollbackCommands rollback;

        @RollbackOnceFailed
        @Transactional
        public void book(String id, boolean fail) {
            Booking booking = new Booking();
            booking.id = id;
            entities.persist(booking);
            rollback.append(Flights.class).cancel(id);
            entities.flush();
            if (fail) {
                throw new IllegalStateException("declined");
            }
        }
    }

    @Autowired
    Bookings bookings;

    @Autowired
    Flights flights;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    io.github.compensation.journal.JournalWorker worker;

    @Test
    void markerIsWrittenInTheJpaTransactionAndDecidesRecovery_J2() {
        assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);

        bookings.book("B1", false);
        assertThatThrownBy(() -> bookings.book("B2", true)).hasMessage("declined");

        assertThat(flights.cancelled).containsExactly("B2");
        assertThat(jdbc.queryForList("select id from Booking", String.class)).containsExactly("B1");
        assertThat(jdbc.queryForObject("select count(*) from compensation_marker where verdict = 'C'", Integer.class))
                .as("one marker, committed with B1; B2's rolled back with its transaction").isEqualTo(1);
        worker.runOnce();
        assertThat(jdbc.queryForList("select state from compensation_unit order by state", String.class))
                .as("the committed one settled by the worker's batch").containsExactly("COMMITTED", "COMPENSATED");
    }
}
