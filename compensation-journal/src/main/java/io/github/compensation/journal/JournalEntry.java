package io.github.compensation.journal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One journaled command as stored: what operators see and what workers run.
 *
 * @param id            the command's id, also its idempotency key (J4)
 * @param unitId        the journaled scope a compensation belongs to; {@code null} for a dispatch
 * @param kind          compensation or dispatch
 * @param seq           registration order within the unit
 * @param description   as registered
 * @param call          the recorded call, or {@code null} for a lambda (not recoverable)
 * @param status        see {@link Status}
 * @param attempts      attempts made so far
 * @param nextAttemptAt when the next attempt is due
 * @param lastError     the last failure or the reason it is parked, or {@code null}
 */
public record JournalEntry(String id, @Nullable String unitId, Kind kind, int seq, String description,
                           @Nullable RecordedCall call, Status status, int attempts, Instant nextAttemptAt,
                           @Nullable String lastError) {

    /** What a journaled command is; its {@linkplain #column() column value} is its name. */
    public enum Kind implements ColumnValue {
        /** An undo action of a unit (J2). */
        COMPENSATION,
        /** An outbox row (J3). */
        DISPATCH;

        /**
         * @param column the stored value
         * @return the kind stored as {@code column}
         */
        public static Kind ofColumn(String column) {
            return ColumnValue.of(Kind.class, column);
        }
    }

    /** Statuses of journaled commands; each one's {@linkplain #column() column value} is its name. */
    public enum Status implements ColumnValue {

        /** Waiting to run (or to be retried at {@code nextAttemptAt}). */
        PENDING,
        /** Claimed by an instance until its lease expires. */
        RUNNING,
        /** Ran successfully. */
        DONE,
        /** Not needed: the scope committed or failed without rollback. */
        DISCARDED,
        /** A dispatch whose attempts are used up, or that cannot be read back: needs a person (J3, J6). */
        DEAD,
        /** A compensation whose attempts are used up: needs a person. */
        FAILED,
        /** A compensation that cannot run after a crash (a lambda, or unreadable): needs a person (J1, J6). */
        PARKED,
        /** A lambda compensation, kept in memory only; recorded so that a crash shows what was lost. */
        LAMBDA,
        /** A lambda compensation whose scope settled normally in memory; see the scope report. */
        SETTLED,
        /**
         * A dead, failed or parked command (or one kept waiting by an unknown outcome) that a person marked resolved:
         * it is not run (see {@link Journal#markResolved(String, String)}).
         */
        RESOLVED;

        /**
         * @param column the stored value
         * @return the status stored as {@code column}
         */
        public static Status ofColumn(String column) {
            return ColumnValue.of(Status.class, column);
        }
    }
}
