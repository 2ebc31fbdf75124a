package io.github.compensation.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keeps settled scopes for the people operating the application (clause O1), and acts on them for those people:
 * retry what failed or waits, mark resolved, discard, note (clauses O1, O3). An action that does not apply is
 * refused with a {@link RefusedActionException} and changes nothing; every action is kept in the scope's history with
 * who and when. The operations endpoint reads and acts only through this
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
     * describes. The scope's start, duration, outcome and cause stay as they were; the commands run again show their
     * new attempts, and their earlier ones are kept in a {@link ScopeAction#RETRY} entry of the history. When nothing
     * is left to do afterwards the scope becomes {@link ScopeState#RESOLVED}.
     *
     * @param id   the scope's id
     * @param by   who asks
     * @param note what the person said, or {@code null}
     * @return the scope after the retry (a journal may still be running the commands), or empty when unknown
     * @throws RefusedActionException when the scope has nothing the store can run again (nothing failed or pending, or
     *                                the commands are not recoverable); nothing changed
     */
    Optional<StoredScope> retry(String id, String by, @Nullable String note);

    /**
     * Marks a scope that needs a person resolved: the person saw to it. Its commands are not run; a store may let go
     * of them.
     *
     * @param id   the scope's id
     * @param by   who asks
     * @param note what the person said, or {@code null}
     * @return the scope, now {@link ScopeState#RESOLVED}, or empty when unknown
     * @throws RefusedActionException when the scope needs nobody; nothing changed
     */
    Optional<StoredScope> resolve(String id, String by, @Nullable String note);

    /**
     * Discards the failed and pending work of a scope that needs a person: it stays undone on purpose. Its commands
     * are not run; a store may let go of them.
     *
     * @param id   the scope's id
     * @param by   who asks
     * @param note what the person said, or {@code null}
     * @return the scope, now {@link ScopeState#DISCARDED}, or empty when unknown
     * @throws RefusedActionException when the scope needs nobody; nothing changed
     */
    Optional<StoredScope> discard(String id, String by, @Nullable String note);

    /**
     * Adds a note to the scope's history and changes nothing else. Any kept scope takes notes.
     *
     * @param id   the scope's id
     * @param by   who writes it
     * @param note the note
     * @return the scope with the note, or empty when unknown
     */
    Optional<StoredScope> note(String id, String by, String note);

    /**
     * How many kept scopes are in each state; the metrics gauges of work needing attention read it.
     *
     * @return a count for every state, zero included
     */
    Map<ScopeState, Long> counts();
}
