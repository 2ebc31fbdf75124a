package io.github.compensation.journal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One journaled command as stored: what operators see and what workers run.
 *
 * @param id            the command's id, also its idempotency key (J4)
 * @param unitId        the journaled scope a compensation belongs to; {@code null} for a dispatch
 * @param kind          {@code COMPENSATION} or {@code DISPATCH}
 * @param seq           registration order within the unit
 * @param description   as registered
 * @param call          the recorded call, or {@code null} for a lambda (not recoverable)
 * @param status        see {@link Status}
 * @param attempts      attempts made so far
 * @param nextAttemptAt when the next attempt is due
 * @param lastError     the last failure or the reason it is parked, or {@code null}
 */
public record JournalEntry(String id, @Nullable String unitId, String kind, int seq, String description,
                           @Nullable RecordedCall call, String status, int attempts, Instant nextAttemptAt,
                           @Nullable String lastError) {

    /** Kind of a compensation row. */
    public static final String COMPENSATION = "COMPENSATION";

    /** Kind of a dispatch (outbox) row. */
    public static final String DISPATCH = "DISPATCH";

    /** Statuses of journaled commands. */
    public static final class Status {

        /** Waiting to run (or to be retried at {@code nextAttemptAt}). */
        public static final String PENDING = "PENDING";
        /** Claimed by an instance until its lease expires. */
        public static final String RUNNING = "RUNNING";
        /** Ran successfully. */
        public static final String DONE = "DONE";
        /** Not needed: the scope committed or failed without rollback. */
        public static final String DISCARDED = "DISCARDED";
        /** A dispatch whose attempts are used up, or that cannot be read back: needs a person (J3, J6). */
        public static final String DEAD = "DEAD";
        /** A compensation whose attempts are used up: needs a person. */
        public static final String FAILED = "FAILED";
        /** A compensation that cannot run after a crash (a lambda, or unreadable): needs a person (J1, J6). */
        public static final String PARKED = "PARKED";
        /** A lambda compensation, kept in memory only; recorded so that a crash shows what was lost. */
        public static final String LAMBDA = "LAMBDA";
        /** A lambda compensation whose scope settled normally in memory; see the scope report. */
        public static final String SETTLED = "SETTLED";
        /**
         * A dead, failed or parked command (or one kept waiting by an unknown outcome) that a person marked resolved:
         * it is not run (see {@link Journal#markResolved(String, String)}).
         */
        public static final String RESOLVED = "RESOLVED";

        private Status() {
        }
    }
}
