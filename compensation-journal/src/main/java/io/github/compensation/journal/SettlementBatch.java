package io.github.compensation.journal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What committed scopes leave to be written after their commit, off their callers' threads (J2, J3): outbox rows
 * delivered right after commit, to be marked done, and units to be closed as committed. The journal worker writes them
 * at every poll, for all scopes at once, in one write ({@link JournalRepository#settleCommitted}). Until then nothing
 * is at risk: a unit left open is closed by recovery from its committed marker once its lease expires, and an outbox
 * row left running is delivered again, with the same idempotency key, once its claim expires (at least once, J4).
 *
 * <p>Without a running worker there is nobody to write them later, so the scope writes its own at once (see
 * {@link #inBackground(boolean, Executor)}). Under load the worker does not wait for its next poll: the caller that
 * finds {@link #HAND_OVER_AT} entries waiting hands one write to the worker's threads and goes on, so a caller never
 * writes the batch in steady state. Only when the worker falls far behind does the caller that finds
 * {@link #MAX_PENDING} entries waiting write them itself, which bounds the memory they take. Thread-safe.
 */
final class SettlementBatch {

    private static final System.Logger LOG = System.getLogger(SettlementBatch.class.getName());

    /** Entries waiting at which the next caller hands a write to the worker's threads, before the next poll. */
    static final int HAND_OVER_AT = 1_000;

    /** Entries waiting at which the next caller writes the batch itself: the worker is not keeping up. */
    static final int MAX_PENDING = 50_000;

    private final JournalContext context;
    private final Object lock = new Object();
    private final Object flushing = new Object();
    private List<String> delivered = new ArrayList<>();
    private List<String> units = new ArrayList<>();
    private List<String> compensations = new ArrayList<>();
    private volatile boolean inBackground;
    private volatile @Nullable Executor writer;
    /** Whether a write handed to {@link #writer} has not started yet: one at a time is enough. */
    private final AtomicBoolean handedOver = new AtomicBoolean();

    SettlementBatch(JournalContext context) {
        this.context = context;
    }

    /**
     * Whether the worker writes settlements ({@code true} while it runs) or each scope writes its own.
     *
     * @param background the mode
     * @param writer     where a write runs when {@link #HAND_OVER_AT} entries wait before the worker's next poll (the
     *                   worker's threads), or {@code null} to wait for the poll
     */
    void inBackground(boolean background, @Nullable Executor writer) {
        this.writer = background ? writer : null;
        this.inBackground = background;
    }

    /**
     * Takes what one committed scope leaves to write: kept for the worker in background mode, otherwise written now.
     *
     * @param deliveredIds           outbox rows the scope delivered
     * @param committedUnits         its units, to close as committed
     * @param discardedCompensations the compensations of those units, to mark discarded (lambdas settled)
     */
    void add(List<String> deliveredIds, List<String> committedUnits, List<String> discardedCompensations) {
        if (deliveredIds.isEmpty() && committedUnits.isEmpty()) {
            return;
        }
        if (!inBackground) {
            context.store.settleCommitted(deliveredIds, committedUnits, discardedCompensations, context.now());
            return;
        }
        int pending;
        synchronized (lock) {
            delivered.addAll(deliveredIds);
            units.addAll(committedUnits);
            compensations.addAll(discardedCompensations);
            pending = delivered.size() + units.size();
        }
        if (pending >= MAX_PENDING) {
            flush();
        }
        else if (pending >= HAND_OVER_AT) {
            handOver();
        }
    }

    private void handOver() {
        Executor to = writer;
        if (to == null || !handedOver.compareAndSet(false, true)) {
            return;
        }
        try {
            to.execute(() -> {
                handedOver.set(false);
                flush();
            });
        }
        catch (RejectedExecutionException stopping) {
            // the worker is stopping: it writes what is left when it stops
            handedOver.set(false);
        }
    }

    /**
     * Writes everything waiting, in one write; when another thread is writing a batch, waits for it first, so that
     * everything added before this call is written when it returns. A failure is logged and the batch dropped:
     * recovery and redelivery make up for it (see the class comment).
     *
     * @return entries written
     */
    int flush() {
        synchronized (flushing) {
            return flushNow();
        }
    }

    /** One flush at a time, so that a flush returns only once everything added before it is written. */
    private int flushNow() {
        List<String> deliveredIds;
        List<String> committedUnits;
        List<String> discardedCompensations;
        synchronized (lock) {
            if (delivered.isEmpty() && units.isEmpty()) {
                return 0;
            }
            deliveredIds = delivered;
            committedUnits = units;
            discardedCompensations = compensations;
            delivered = new ArrayList<>();
            units = new ArrayList<>();
            compensations = new ArrayList<>();
        }
        try {
            context.store.settleCommitted(deliveredIds, committedUnits, discardedCompensations, context.now());
        }
        catch (RuntimeException failure) {
            LOG.log(Level.ERROR, "Journal could not record " + committedUnits.size() + " committed unit(s) and "
                    + deliveredIds.size() + " delivered dispatch(es); recovery closes the units once their leases"
                    + " expire, and the dispatches are delivered again once their claims expire", failure);
            return 0;
        }
        return deliveredIds.size() + committedUnits.size();
    }
}
