package io.github.compensation.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.DispatchAfterCommit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:smoke;DB_CLOSE_DELAY=-1")
class OwnTransactionSmokeTest /* T1, D1 */ {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Booking.class)
    static class App {
    }

    @Service
    static class Booking {
        final JdbcTemplate jdbc;
        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Booking(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch) {
            this.jdbc = jdbc;
            this.rollback = rollback;
            this.dispatch = dispatch;
            jdbc.execute("create table if not exists trip(id int primary key)");
        }

        public List<String> calls() {
            return calls;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public void book(int id, boolean fail) {
            jdbc.update("insert into trip(id) values (?)", id);
            calls.add("reserve " + id);
            rollback.append("cancel " + id, () -> calls.add("cancel " + id + " rows="
                    + jdbc.queryForObject("select count(*) from trip where id = ?", Integer.class, id)));
            dispatch.append("booked " + id, () -> calls.add("booked " + id));
            if (fail) {
                throw new IllegalStateException("payment declined");
            }
        }
    }

    @Autowired
    Booking booking;

    @Test
    void compensationsRunAfterTheDatabaseRolledBack() {
        assertThatThrownBy(() -> booking.book(1, true)).hasMessage("payment declined");
        booking.book(2, false);
        assertThat(booking.calls()).containsExactly("reserve 1", "cancel 1 rows=0", "reserve 2", "booked 2");
    }
}
