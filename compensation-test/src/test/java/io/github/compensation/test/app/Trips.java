package io.github.compensation.test.app;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A booking like the README's: two reservations, a row, an event after commit. */
@Service
public class Trips {

    private final Partners partners;
    private final RollbackCommands rollback;
    private final DispatchCommands dispatch;
    private final JdbcTemplate jdbc;

    Trips(Partners partners, RollbackCommands rollback, DispatchCommands dispatch, JdbcTemplate jdbc) {
        this.partners = partners;
        this.rollback = rollback;
        this.dispatch = dispatch;
        this.jdbc = jdbc;
    }

    /** Owns its transaction (T1). */
    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional
    public void book(String ref) {
        steps(ref);
    }

    /** Joins the caller's transaction (T2). */
    @RollbackOnceFailed
    @DispatchAfterCommit
    public void bookInCallersTransaction(String ref) {
        steps(ref);
    }

    private void steps(String ref) {
        partners.reserve("flight " + ref);
        rollback.append("cancel flight " + ref, () -> partners.cancel("flight " + ref));
        partners.reserve("hotel " + ref);
        rollback.append("cancel hotel " + ref, () -> partners.cancel("hotel " + ref));
        jdbc.update("insert into trips (ref) values (?)", ref);
        dispatch.append("trip booked " + ref, () -> partners.publish("trip booked " + ref));
    }
}
