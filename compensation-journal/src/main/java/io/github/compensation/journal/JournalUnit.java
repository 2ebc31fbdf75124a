package io.github.compensation.journal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One journaled scope (a "unit": the compensations a scope registered within one transaction), as operators see it.
 *
 * @param id         its id, as logged
 * @param name       the scope's name, typically {@code Class.method}
 * @param state      {@code OPEN} (running, or its instance died), {@code ABORTED} (being compensated by recovery),
 *                   {@code COMMITTED}, {@code COMPENSATED}, {@code DISCARDED} (failed without rollback),
 *                   {@code FAILED} (a compensation failed or was parked: needs a person), {@code UNKNOWN} (the
 *                   transaction outcome was unknown: needs a person, see {@link Journal#resolveUnknown(String)}),
 *                   {@code RESOLVED} or {@code ABANDONED} (a person marked a failed or unknown unit resolved, or
 *                   discarded what it left undone: {@link Journal#markResolved(String, String)},
 *                   {@link Journal#markDiscarded(String, String)})
 * @param owner      the instance holding its lease
 * @param leaseUntil when the lease expires
 * @param createdAt  when the scope journaled its first compensation
 */
public record JournalUnit(String id, String name, State state, @Nullable String owner, Instant leaseUntil,
                          Instant createdAt) {

    /** States of a unit; each one's {@linkplain #column() column value} is its name. */
    public enum State implements ColumnValue {
        /** Its scope is running, or its instance died before settling it. */
        OPEN,
        /** Its business transaction never committed: recovery is compensating it. */
        ABORTED,
        /** Its business transaction committed: nothing to undo. */
        COMMITTED,
        /** Its compensations ran. */
        COMPENSATED,
        /** Its scope failed without rollback: nothing undone, nothing needed. */
        DISCARDED,
        /** A compensation failed or was parked: needs a person. */
        FAILED,
        /** The transaction's outcome was unknown: needs a person ({@link Journal#resolveUnknown(String)}). */
        UNKNOWN,
        /** A person marked it resolved. */
        RESOLVED,
        /** A person discarded what it left undone. */
        ABANDONED;

        /**
         * @param column the stored value
         * @return the state stored as {@code column}
         */
        public static State ofColumn(String column) {
            return ColumnValue.of(State.class, column);
        }
    }
}
