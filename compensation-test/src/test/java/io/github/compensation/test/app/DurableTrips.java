package io.github.compensation.test.app;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.journal.DurableDispatchCommands;
import io.github.compensation.journal.DurableRollbackCommands;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A booking with the journal: a durable compensation and a durable dispatch (an outbox row). */
public class DurableTrips {

    private final Partners partners;
    private final DurableRollbackCommands rollback;
    private final DurableDispatchCommands dispatch;
    private final JdbcTemplate jdbc;

    DurableTrips(Partners partners, DurableRollbackCommands rollback, DurableDispatchCommands dispatch,
            JdbcTemplate jdbc) {
        this.partners = partners;
        this.rollback = rollback;
        this.dispatch = dispatch;
        this.jdbc = jdbc;
    }

    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional
    public void book(String ref) {
        partners.reserve("flight " + ref);
        rollback.append(Partners.class).cancel("flight " + ref);
        jdbc.update("insert into trips (ref) values (?)", ref);
        dispatch.append(Partners.class).publish("trip booked " + ref);
    }
}
