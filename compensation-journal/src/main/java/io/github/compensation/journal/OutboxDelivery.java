package io.github.compensation.journal;

import io.github.compensation.Command;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * Delivers outbox rows (J3, J4): a scope's own dispatches right after its commit, through the claim taken when their
 * row was written, and, for the worker, due rows and rows whose claim expired, with back-off after a failure until
 * they are done or park as dead. Thread-safe.
 */
final class OutboxDelivery {

    private static final System.Logger LOG = System.getLogger(OutboxDelivery.class.getName());

    private final JournalContext context;

    OutboxDelivery(JournalContext context) {
        this.context = context;
    }

    /**
     * Claims one batch of due dispatches (skipping rows other instances hold, taking over expired leases, at most one
     * per ordering key: M2) and runs them. Commands whose work completes later ({@link StartableCommand}: a message
     * to a broker) are all started first and awaited afterwards, so that a batch costs one round trip to the broker,
     * not one per row.
     *
     * @return how many were claimed; {@code 0} when nothing is due
     */
    public int dispatchDue() {
        Instant now = context.now();
        List<JournalEntry> rows = context.store.claimDueDispatches(context.settings.instanceId(), now,
                context.leaseUntil(), context.settings.batchSize(), context.settings.deadDispatchBlocksKey());
        List<String> done = new ArrayList<>(rows.size());
        Map<JournalEntry, CompletableFuture<?>> started = new LinkedHashMap<>();
        for (JournalEntry row : rows) {
            int attempt = row.attempts() + 1;
            if (attempt > context.settings.dispatchMaxAttempts()) {
                context.store.park(row.id(), JournalEntry.Status.DEAD, "dead after " + row.attempts()
                        + " attempt(s), the"
                        + " last one never finished (did the instance running it die?)", context.now());
                LOG.log(Level.ERROR, "Dispatch " + row.id() + " '" + row.description() + "' parked as dead: its"
                        + " attempts are used up and the last one never finished");
                continue;
            }
            Command command;
            try {
                command = context.commandOf(row);
            }
            catch (UnreadableCommandException unreadable) {
                context.store.park(row.id(), JournalEntry.Status.DEAD, "unreadable: " + unreadable.getMessage(),
                        context.now());
                LOG.log(Level.ERROR, "Dispatch " + row.id() + " '" + row.description() + "' parked as dead: "
                        + unreadable.getMessage());
                continue;
            }
            try {
                if (command instanceof StartableCommand startable) {
                    started.put(row, IdempotencyKey.start(row.id(), startable).toCompletableFuture());
                }
                else {
                    IdempotencyKey.run(row.id(), command);
                    done.add(row.id());
                }
            }
            catch (Exception | Error failure) {
                dispatchFailed(row.id(), attempt, failure);
            }
        }
        long deadline = System.nanoTime() + context.settings.lease().toNanos();
        started.forEach((row, outcome) -> {
            try {
                outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                done.add(row.id());
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                dispatchFailed(row.id(), row.attempts() + 1, interrupted);
            }
            catch (TimeoutException late) {
                dispatchFailed(row.id(), row.attempts() + 1, new TimeoutException("not finished within the lease ("
                        + context.settings.lease() + ")"));
            }
            catch (ExecutionException failed) {
                dispatchFailed(row.id(), row.attempts() + 1, failed.getCause() != null ? failed.getCause() : failed);
            }
        });
        context.store.markDone(done, context.now());
        return rows.size();
    }

    /** A durable dispatch as queued in memory: delivers its outbox row right after commit. */
    final class DurableDispatch implements Command {

        final String id = UUID.randomUUID().toString();
        final String description;
        final RecordedCall call;
        final Command live;
        volatile boolean journaled;
        /** Until when the claim taken as the row was written holds; {@code null} once used, or without one. */
        volatile @Nullable Instant claimedUntil;
        /**
         * Whether a successful delivery is left for {@link #scopeFinished} to record with its scope's end. A dispatch
         * with an ordering key is recorded at once all the same: the key's next dispatch waits for it in the database
         * (M2), and would otherwise wait for the worker's settlement batch.
         */
        volatile boolean recordWithScope;
        volatile boolean deliveredUnrecorded;
        /** The transaction its outbox row was written in, so that withdrawing it can tell (D6). */
        volatile @Nullable Object writtenIn;
        /** Whether the transaction that wrote its outbox row committed. */
        volatile boolean committed;
        /** Whether its scope settled: from then on its outcome is known. */
        volatile boolean scopeSettled;
        /** Whether its outbox row was written (in the business transaction, right before it committed). */
        volatile boolean written;
        /** Whether it was withdrawn, or dropped with its scope, before its outbox row was written: never written. */
        volatile boolean dropped;
        int failures;
        /** The key its deliveries are ordered by (M2), or {@code null}. */
        final @Nullable String orderingKey;
        /** Its place among the dispatches of its key: when it was registered. */
        final long orderingSeq;

        DurableDispatch(String description, RecordedCall call, Command live) {
            this(description, call, live, null);
        }

        DurableDispatch(String description, RecordedCall call, Command live, @Nullable String orderingKey) {
            this.description = description;
            this.call = call;
            this.live = live;
            this.orderingKey = orderingKey;
            this.orderingSeq = orderingKey == null ? 0L : OrderingSequence.next(context.clock);
        }

        @Override
        public void run() throws Exception {
            try {
                if (!journaled) {
                    context.store.insertDispatch(claimedRow(), context.now());
                    journaled = true;
                }
                if (orderingKey != null && !mayGoNow(orderingKey)) {
                    return;
                }
                if (!claim()) {
                    return;
                }
            }
            catch (DataAccessException unreachable) {
                if (!journaled) {
                    LOG.log(Level.WARNING, "Journal unreachable; delivering dispatch " + id + " from memory only",
                            unreachable);
                    IdempotencyKey.run(id, live);
                    return;
                }
                throw unreachable;
            }
            try {
                IdempotencyKey.run(id, live);
            }
            catch (Exception | Error failure) {
                failures++;
                JournalContext.recordQuietly(() -> dispatchFailed(id, failures, failure));
                throw failure;
            }
            if (recordWithScope && orderingKey == null) {
                deliveredUnrecorded = true;
            }
            else {
                JournalContext.recordQuietly(() -> context.store.markDone(List.of(id), context.now()));
            }
        }

        /** Its outbox row, claimed by this instance for a lease from now; the claim is kept for {@link #claim()}. */
        JournalRepository.NewDispatch claimedRow() {
            Instant until = context.leaseUntil();
            claimedUntil = until;
            return new JournalRepository.NewDispatch(id, description, call, context.settings.instanceId(), until,
                    orderingKey, orderingSeq);
        }

        /**
         * Whether this instance may deliver an ordered dispatch right after commit (M2): only through the claim taken
         * as its row was written, and only while no earlier dispatch of its key is unfinished and no other instance
         * delivers one; otherwise its row is handed to the workers, which deliver the key's dispatches one at a time,
         * oldest first. Later in-memory attempts are left to the workers too.
         */
        private boolean mayGoNow(String key) {
            if (claimedUntil == null) {
                return false;
            }
            if (context.store.yieldToSameKey(id, context.settings.instanceId(), key, orderingSeq,
                    context.settings.deadDispatchBlocksKey(), context.now())) {
                claimedUntil = null;
                LOG.log(Level.DEBUG, () -> "Dispatch " + id + " waits for an earlier one of key " + key
                        + "; handed to the worker");
                return false;
            }
            return true;
        }

        /**
         * Claims the row for this attempt: the first one uses the claim taken as the row was written, renewing it
         * when half of it has passed (a long business transaction); later ones claim the row back from waiting.
         *
         * @return whether this instance is to run it; {@code false} when another one took it over
         */
        private boolean claim() {
            Instant until = claimedUntil;
            claimedUntil = null;
            if (until == null) {
                return context.store.claim(id, context.settings.instanceId(), context.leaseUntil(), context.now()) > 0;
            }
            if (context.now().plus(context.settings.lease().dividedBy(2)).isBefore(until)) {
                return true;
            }
            if (context.store.renewClaim(id, context.settings.instanceId(), context.leaseUntil(), context.now()) > 0) {
                return true;
            }
            LOG.log(Level.WARNING, "Dispatch " + id + " was taken over by another instance; not delivered here");
            return false;
        }
    }

    void dispatchFailed(String id, int attempts, Throwable failure) {
        Instant now = context.now();
        if (attempts >= context.settings.dispatchMaxAttempts()) {
            context.store.markFailed(id, JournalEntry.Status.DEAD, now, "dead after " + attempts + " attempt(s): "
                    + JournalContext.describe(failure), now);
            LOG.log(Level.ERROR, "Dispatch " + id + " is dead after " + attempts + " attempt(s); re-trigger it with"
                    + " Journal.retrigger(\"" + id + "\")", failure);
        }
        else {
            context.store.markFailed(id, JournalEntry.Status.PENDING, now.plus(context.settings.delayAfter(attempts)),
                    JournalContext.describe(failure), now);
        }
    }

}
