package io.github.compensation.spring.transaction;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.Propagation;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.testsupport.Journal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The annotated bean under test. Each method writes a booking, registers a compensation and a dispatch, and fails on
 * request. Commands write to the {@link Journal} what they saw: the booking rows visible to them and whether a
 * transaction was bound to the thread while they ran.
 */
public class Bookings {

    private final BookingStore store;
    private final RollbackCommands rollback;
    private final DispatchCommands dispatch;
    private final Journal journal;

    public Bookings(BookingStore store, RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
        this.store = store;
        this.rollback = rollback;
        this.dispatch = dispatch;
        this.journal = journal;
    }

    /** Transactional: the boundary when called without a transaction (T1), joins the caller's otherwise (T2). */
    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional
    public void book(int id, String code, boolean fail) {
        store.insertBooking(id, code);
        journal.recordCompletionOfCurrentTransaction("tx");
        registerJournalingCommands(id);
        failIf(fail, id);
    }

    /**
     * Like {@link #book}, but its commands write audit rows to the database (D4), noting first whether a transaction
     * is bound to the thread: with plain JDBC on the finished transaction's connection, a write could survive by
     * accident (resetting auto-commit commits it), so the row alone does not prove the command ran on its own.
     */
    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional
    public void bookWithAuditedCommands(int id, String code, boolean fail) {
        store.insertBooking(id, code);
        rollback.append("audit compensation " + id, () -> {
            journal.add("compensation writes, tx=" + TransactionSynchronizationManager.isActualTransactionActive());
            store.insertAudit("compensated " + id);
        });
        dispatch.append("audit dispatch " + id, () -> {
            journal.add("dispatch writes, tx=" + TransactionSynchronizationManager.isActualTransactionActive());
            store.insertAudit("dispatched " + id);
        });
        failIf(fail, id);
    }

    /** Not transactional: its writes join whatever transaction the caller has; nests in the caller's scope (N1). */
    @RollbackOnceFailed
    @DispatchAfterCommit
    public void bookInCallersWork(int id, String code, boolean fail) {
        store.insertBooking(id, code);
        registerJournalingCommands(id);
        failIf(fail, id);
    }

    /** An independent scope with a transaction of its own (N2). */
    @RollbackOnceFailed(propagation = Propagation.REQUIRES_NEW)
    @DispatchAfterCommit(propagation = Propagation.REQUIRES_NEW)
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
    public void bookIndependently(int id, String code, boolean fail) {
        store.insertBooking(id, code);
        registerJournalingCommands(id);
        failIf(fail, id);
    }

    private void registerJournalingCommands(int id) {
        rollback.append("cancel booking " + id, () -> journal.add("compensate " + id + seen(id)));
        dispatch.append("publish booking " + id, () -> journal.add("dispatch " + id + seen(id)));
    }

    private String seen(int id) {
        return " rows=" + store.countBookings(id) + " tx="
                + TransactionSynchronizationManager.isActualTransactionActive();
    }

    private static void failIf(boolean fail, int id) {
        if (fail) {
            throw new BookingFailed("declined " + id);
        }
    }
}
