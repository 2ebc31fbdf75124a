package io.github.compensation.aspectjtest;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service whose annotated method is reached only through {@code this}: proxies cannot advise that call, the woven
 * {@code CompensationAspect} does.
 */
public class SelfCallingBooking {

    private final RollbackCommands rollback;
    private final DispatchCommands dispatch;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /**
     * Creates the service.
     *
     * @param rollback the rollback holder
     * @param dispatch the dispatch holder
     */
    public SelfCallingBooking(RollbackCommands rollback, DispatchCommands dispatch) {
        this.rollback = rollback;
        this.dispatch = dispatch;
    }

    /**
     * Not annotated: calls the annotated {@link #reserve(String, boolean)} through {@code this}.
     *
     * @param trip trip name
     * @param fail whether the reservation fails after its side effects
     */
    public void book(String trip, boolean fail) {
        this.reserve(trip, fail);
    }

    /**
     * Reserves a flight and a hotel, registering how to undo each, and queues the announcement.
     *
     * @param trip trip name
     * @param fail whether to fail after the side effects
     */
    @RollbackOnceFailed
    @DispatchAfterCommit
    public void reserve(String trip, boolean fail) {
        calls.add("reserve flight " + trip);
        rollback.append("cancel flight", () -> calls.add("cancel flight " + trip));
        calls.add("reserve hotel " + trip);
        rollback.append("cancel hotel", () -> calls.add("cancel hotel " + trip));
        dispatch.append("trip booked", () -> calls.add("announce " + trip));
        if (fail) {
            throw new IllegalStateException("payment declined for " + trip);
        }
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
