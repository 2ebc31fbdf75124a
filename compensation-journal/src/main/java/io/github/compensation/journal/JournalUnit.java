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
public record JournalUnit(String id, String name, String state, @Nullable String owner, Instant leaseUntil,
                          Instant createdAt) {
}
