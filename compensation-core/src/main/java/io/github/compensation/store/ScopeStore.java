package io.github.compensation.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keeps settled scopes for the people operating the application (clause O1), and acts on them for those people:
 * retry what failed or waits, mark resolved, discard. The operations endpoint reads and acts only through this
 * interface. {@link InMemoryScopeStore} keeps recent scopes and those needing attention in memory, bounded; a durable
 * journal implements the same interface over its tables.
 *
 * <p>Implementations are thread-safe. Every method that acts returns the scope as it stands afterwards, or an empty
 * {@link Optional} when the store does not know the id (never kept, or no longer kept).
 */
public interface ScopeStore {

    /**
     * The kept scopes that match, newest first.
     *
     * @param query which scopes
     * @return at most {@link ScopeQuery#limit()} scopes
     */
    List<StoredScope> find(ScopeQuery query);

    /**
     * One kept scope.
     *
     * @param id the scope's id
     * @return the scope, or empty when unknown
     */
    Optional<StoredScope> get(String id);

    /**
     * Runs the scope's failed and pending commands again, as {@link io.github.compensation.spi.RetryHandle#retry()}
     * describes, and keeps the new report. When nothing is left to do afterwards the scope becomes
     * {@link ScopeState#RESOLVED}.
     *
     * @param id the scope's id
     * @return the scope after the retry, or empty when unknown
     * @throws IllegalStateException when the scope has nothing the store can run again (nothing failed or pending, or
     *                               the commands are not recoverable); the message says why
     */
    Optional<StoredScope> retry(String id);

    /**
     * Marks the scope resolved: a person saw to it. Its commands are not run; a store may let go of them.
     *
     * @param id   the scope's id
     * @param note what the person said, or {@code null}
     * @return the scope, now {@link ScopeState#RESOLVED}, or empty when unknown
     */
    Optional<StoredScope> resolve(String id, @Nullable String note);

    /**
     * Discards the scope's failed and pending work: it stays undone on purpose. Its commands are not run; a store may
     * let go of them.
     *
     * @param id   the scope's id
     * @param note what the person said, or {@code null}
     * @return the scope, now {@link ScopeState#DISCARDED}, or empty when unknown
     */
    Optional<StoredScope> discard(String id, @Nullable String note);

    /**
     * How many kept scopes are in each state; the metrics gauges of work needing attention read it.
     *
     * @return a count for every state, zero included
     */
    Map<ScopeState, Long> counts();
}
