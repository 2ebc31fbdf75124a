package io.github.compensation.aspectjtest;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Books trips in the database and with remote partners. The woven {@code @Transactional} opens the transaction
 * ({@code @EnableTransactionManagement(mode = ASPECTJ)}); the woven compensation aspect opens the scopes.
 */
public class TripDesk {

    private final JdbcTemplate jdbc;
    private final RollbackCommands rollback;
    private final DispatchCommands dispatch;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /**
     * Creates the desk and its table.
     *
     * @param jdbc     the database
     * @param rollback the rollback holder
     * @param dispatch the dispatch holder
     */
    public TripDesk(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch) {
        this.jdbc = jdbc;
        this.rollback = rollback;
        this.dispatch = dispatch;
        jdbc.execute("create table if not exists trip(name varchar(50) primary key)");
    }

    /**
     * A transaction, not annotated for compensation, that reserves through {@code this.reserve(...)}, then goes on.
     *
     * @param trip      trip name
     * @param failAfter whether the transaction fails after the reservation returned
     */
    @Transactional
    public void book(String trip, boolean failAfter) {
        this.reserve(trip);
        calls.add("after reserve, announced: " + calls.contains("announce " + trip));
        if (failAfter) {
            throw new IllegalStateException("payment declined for " + trip);
        }
    }

    /**
     * Saves the trip and reserves a flight, registering its undo and the announcement.
     *
     * @param trip trip name
     */
    @RollbackOnceFailed
    @DispatchAfterCommit
    public void reserve(String trip) {
        jdbc.update("insert into trip(name) values (?)", trip);
        calls.add("reserve flight " + trip);
        rollback.append("cancel flight", () -> calls.add("cancel flight " + trip + ", saved: " + saved(trip)));
        dispatch.append("trip booked", () -> calls.add("announce " + trip + ", saved: " + saved(trip)));
    }

    /**
     * A transaction that, through {@code this}, saves a trip in a transaction of its own, then fails.
     *
     * @param trip trip name
     */
    @Transactional
    public void bookSeparatelyThenFail(String trip) {
        this.reserveInOwnTransaction(trip);
        throw new IllegalStateException("payment declined for " + trip);
    }

    /**
     * Saves the trip in a new transaction and reserves a flight: the scope belongs to that transaction, not to the
     * caller's.
     *
     * @param trip trip name
     */
    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void reserveInOwnTransaction(String trip) {
        jdbc.update("insert into trip(name) values (?)", trip);
        calls.add("reserve flight " + trip);
        rollback.append("cancel flight", () -> calls.add("cancel flight " + trip));
        dispatch.append("trip booked", () -> calls.add("announce " + trip + ", saved: " + saved(trip)));
    }

    /**
     * Compensated and transactional on the same method: records when the transaction completes, then fails.
     *
     * @param trip trip name
     */
    @RollbackOnceFailed
    @Transactional
    public void bookAndFail(String trip) {
        jdbc.update("insert into trip(name) values (?)", trip);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                calls.add(status == STATUS_ROLLED_BACK ? "transaction rolled back" : "transaction status " + status);
            }
        });
        calls.add("reserve flight " + trip);
        rollback.append("cancel flight", () -> calls.add("cancel flight " + trip + ", saved: " + saved(trip)));
        throw new IllegalStateException("payment declined for " + trip);
    }

    private boolean saved(String trip) {
        return jdbc.queryForObject("select count(*) from trip where name = ?", Integer.class, trip) > 0;
    }

    /**
     * What happened so far, in order.
     *
     * @return the calls made and undone
     */
    public List<String> calls() {
        return List.copyOf(calls);
    }
}
