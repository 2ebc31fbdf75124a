package io.github.compensation.spring.transaction;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.testsupport.Journal;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outer bean of the nesting scenarios (N1, N2): opens a scope with a transaction of its own, books through
 * {@link Bookings} (another bean, so the call goes through its proxy), catches the inner failure, and fails itself on
 * request.
 */
public class TripPlanner {

    /** Which {@link Bookings} method the trip calls, and whether it fails. */
    public enum Inner {
        NESTED_SUCCEEDS, NESTED_FAILS, INDEPENDENT_SUCCEEDS, INDEPENDENT_FAILS
    }

    private final Bookings bookings;
    private final BookingStore store;
    private final RollbackCommands rollback;
    private final DispatchCommands dispatch;
    private final Journal journal;

    public TripPlanner(Bookings bookings, BookingStore store, RollbackCommands rollback, DispatchCommands dispatch,
            Journal journal) {
        this.bookings = bookings;
        this.store = store;
        this.rollback = rollback;
        this.dispatch = dispatch;
        this.journal = journal;
    }

    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional
    public void planTrip(int id, Inner inner, boolean fail) {
        store.insertBooking(id, "trip " + id);
        journal.recordCompletionOfCurrentTransaction("outer tx");
        rollback.append("cancel trip " + id, () -> journal.add("compensate trip " + id));
        dispatch.append("publish trip " + id, () -> journal.add("dispatch trip " + id));
        int innerId = id + 1;
        try {
            switch (inner) {
                case NESTED_SUCCEEDS -> bookings.bookInCallersWork(innerId, "inner " + innerId, false);
                case NESTED_FAILS -> bookings.bookInCallersWork(innerId, "inner " + innerId, true);
                case INDEPENDENT_SUCCEEDS -> bookings.bookIndependently(innerId, "inner " + innerId, false);
                case INDEPENDENT_FAILS -> bookings.bookIndependently(innerId, "inner " + innerId, true);
            }
        }
        catch (BookingFailed failure) {
            journal.add("trip caught " + failure.getMessage());
        }
        if (fail) {
            throw new BookingFailed("trip " + id + " declined");
        }
    }
}
