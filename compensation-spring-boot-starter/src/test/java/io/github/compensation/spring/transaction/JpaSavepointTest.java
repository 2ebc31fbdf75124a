package io.github.compensation.spring.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.testsupport.Journal;
import io.github.compensation.spring.testsupport.TestDatabases;
import io.github.compensation.spring.transaction.jpa.AuditRepository;
import io.github.compensation.spring.transaction.jpa.BookingRepository;
import io.github.compensation.spring.transaction.jpa.JpaBookingStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * S1 with Spring Boot's {@code JpaTransactionManager} and Hibernate on PostgreSQL: Hibernate gives Spring no savepoints,
 * so a nested transaction is refused before its work runs, and the scope around it behaves as for any other failure.
 * What the README and docs/semantics.md say about JPA and savepoints rests on this test.
 */
@SpringBootTest(classes = JpaSavepointTest.App.class)
class JpaSavepointTest {

    /** A seat reserved in a savepoint of the caller's JPA transaction. */
    static class Seats {

        private final BookingStore store;
        private final RollbackCommands rollback;
        private final Journal journal;

        Seats(BookingStore store, RollbackCommands rollback, Journal journal) {
            this.store = store;
            this.rollback = rollback;
            this.journal = journal;
        }

        @Transactional(propagation = Propagation.NESTED)
        public void reserve(int seat) {
            journal.add("reserve seat " + seat);
            store.insertBooking(seat, "seat " + seat);
            rollback.append("release seat " + seat, () -> journal.add("release seat " + seat));
        }
    }

    /** A trip whose transaction is a JPA transaction. */
    static class Trips {

        private final BookingStore store;
        private final Seats seats;
        private final RollbackCommands rollback;
        private final Journal journal;

        Trips(BookingStore store, Seats seats, RollbackCommands rollback, Journal journal) {
            this.store = store;
            this.seats = seats;
            this.rollback = rollback;
            this.journal = journal;
        }

        @RollbackOnceFailed
        @Transactional
        public void book() {
            store.insertBooking(1, "trip");
            rollback.append("cancel trip", () -> journal.add("cancel trip"));
            seats.reserve(10);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        BookingStore bookingStore(BookingRepository bookings, AuditRepository audits) {
            return new JpaBookingStore(bookings, audits);
        }

        @Bean
        Seats seats(BookingStore store, RollbackCommands rollback, Journal journal) {
            return new Seats(store, rollback, journal);
        }

        @Bean
        Trips trips(BookingStore store, Seats seats, RollbackCommands rollback, Journal journal) {
            return new Trips(store, seats, rollback, journal);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.postgres(registry, "jpa_savepoints");
    }

    @Autowired
    Trips trips;

    @Autowired
    Journal journal;

    @Autowired
    BookingStore store;

    @Test
    void s1_withHibernateANestedTransactionIsRefusedBeforeItsWorkRunsAndTheScopeRollsBackAsForAnyFailure() {
        Throwable thrown = catchThrowable(() -> trips.book());

        assertThat(thrown).isInstanceOf(NestedTransactionNotSupportedException.class);
        assertThat(journal.lines()).as("the seat was never reserved; the trip was undone")
                .containsExactly("cancel trip");
        assertThat(store.countBookings(1)).isZero();
    }
}
