package io.github.compensation.journal;

import io.github.compensation.journal.JournalEntry.Kind;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalUnit.State;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The journal's persistence, as the rest of the journal sees it: every read and write of units, markers and commands,
 * in the journal's own terms (clauses J2–J5, O1). {@link JournalStore} is the JDBC implementation, with the SQL of
 * each supported {@link Dialect}.
 *
 * <p>Two kinds of writes. Those named {@code ...InTransaction} join the business transaction bound to the calling
 * thread, so that they commit or roll back with it (the marker row, the outbox). Every other write runs on a
 * connection of the repository's own and is committed before the method returns (write-ahead registration, claims,
 * recovery, operator actions), whatever happens to a business transaction.
 *
 * <p>Implementations are thread-safe. Instants are the journal's clock; ids are the journal's UUID strings.
 */
public interface JournalRepository {

    /**
     * A unit to open with its first compensation.
     *
     * @param id         the unit's id
     * @param name       the scope's name
     * @param owner      the instance that leases it
     * @param leaseUntil until when
     */
    record NewUnit(String id, String name, String owner, Instant leaseUntil) {
    }

    /**
     * A compensation to journal before the caller goes on.
     *
     * @param id          its id, also its idempotency key
     * @param unitId      its unit
     * @param seq         its place in the unit: higher runs first; negative for those put at the bottom
     * @param description as registered
     * @param call        the recorded call, or {@code null} for a lambda
     * @param status      {@link Status#PENDING}, or {@link Status#LAMBDA} for a lambda
     */
    record NewCompensation(String id, String unitId, int seq, String description, @Nullable RecordedCall call,
                           Status status) {
    }

    /**
     * An outbox row, written already claimed by the instance that will deliver it right after commit, its first
     * attempt counted.
     *
     * @param id          its id, also its idempotency key
     * @param description as registered
     * @param call        the recorded call
     * @param owner       the claiming instance
     * @param leaseUntil  until when the claim holds
     * @param orderingKey the key its deliveries are ordered by (M2), or {@code null} for an unordered dispatch
     * @param orderingSeq its place among the dispatches of its key: registration order, see
     *                    {@link #claimDueDispatches(String, Instant, Instant, int, boolean)}
     */
    record NewDispatch(String id, String description, RecordedCall call, String owner, Instant leaseUntil,
                       @Nullable String orderingKey, long orderingSeq) {

        /**
         * An unordered outbox row.
         *
         * @param id          its id, also its idempotency key
         * @param description as registered
         * @param call        the recorded call
         * @param owner       the claiming instance
         * @param leaseUntil  until when the claim holds
         */
        public NewDispatch(String id, String description, RecordedCall call, String owner, Instant leaseUntil) {
            this(id, description, call, owner, leaseUntil, null, 0L);
        }
    }

    /**
     * A journaled scope as the operations view lists it: a unit, or a dispatch (which belongs to no unit).
     *
     * @param id        the unit's or the dispatch's id
     * @param name      the unit's name, or the dispatch's description
     * @param state     the column value of the unit's state, or of the dispatch's status
     * @param createdAt when it was journaled
     * @param updatedAt when it last changed
     * @param dispatch  whether it is a dispatch
     */
    record ScopeRow(String id, String name, String state, Instant createdAt, Instant updatedAt, boolean dispatch) {
    }

    /**
     * One action a person took on a unit or a dispatch (clause O3), as the note table keeps it.
     *
     * @param scopeId        the unit's or the dispatch's id
     * @param at             when
     * @param author         who
     * @param action         the action's name
     * @param note           what the person said, or {@code null}
     * @param retried        for a retry, the commands it ran again as they stood before, one per line
     *                       ({@code index|status|attempts|last error}), or {@code null}
     * @param scopeUpdatedAt when the unit or dispatch last changed before this action
     */
    record NoteRow(String scopeId, Instant at, String author, String action, @Nullable String note,
                   @Nullable String retried, Instant scopeUpdatedAt) {
    }

    // ------------------------------------------------------------------ registration and settlement (J2, J3)

    /**
     * Writes a compensation, and the unit it opens if any, all or nothing, committed before returning. Concurrent
     * callers may share one commit (group commit).
     */
    void writeAhead(@Nullable NewUnit unit, NewCompensation compensation, Instant now);

    /**
     * Writes, in the business transaction and right before it commits, the {@link Verdict#COMMITTED} markers of the
     * units opened in it and its outbox rows: one write (one multi-statement on PostgreSQL). A marker that recovery
     * wrote first (it fenced the unit off) makes this fail with a {@link org.springframework.dao.DuplicateKeyException},
     * and the business transaction must then roll back.
     *
     * @param committedUnits units whose marker to insert
     * @param dispatches     outbox rows to insert, already claimed
     * @param now            the journal's clock
     */
    void writeAtCommitInTransaction(List<String> committedUnits, List<NewDispatch> dispatches, Instant now);

    /**
     * Inserts the unit's {@link Verdict#COMMITTED} marker on the repository's own connection: the commit point of a
     * unit whose scope ran without a transaction.
     *
     * @return {@link Verdict#COMMITTED}, or {@link Verdict#ABORTED} when recovery fenced the unit off first
     */
    Verdict commitOwnMarker(String unitId, Instant now);

    /** @return whether the calling thread runs a transaction on the journal's database */
    boolean inBusinessTransaction();

    /**
     * @return a token that stands for the business transaction bound to the calling thread (compared by identity), or
     *         {@code null} outside one
     */
    @Nullable Object currentTransaction();

    /** Inserts an outbox row in the business transaction. */
    void insertDispatchInTransaction(NewDispatch dispatch, Instant now);

    /** Inserts an outbox row, committed at once (a scope without a transaction, as it commits). */
    void insertDispatch(NewDispatch dispatch, Instant now);

    /** Deletes an outbox row of the business transaction: its scope failed (D5). */
    void deleteDispatchInTransaction(String id);

    /** Deletes committed outbox rows that {@code owner} still holds: their scope did not commit (D5). */
    void deleteClaimed(List<String> ids, String owner);

    /**
     * Marks delivered dispatches done and closes committed units (their compensations discarded, lambdas settled), for
     * any number of scopes at once: one write, committed at once. The worker writes what committed scopes left for it.
     *
     * @param delivered              outbox rows delivered after their commit
     * @param committedUnits         open units whose scopes committed
     * @param discardedCompensations the compensations of those units, by id: pending ones become discarded, lambdas
     *                               settled, others stay as they are
     * @param now                    the journal's clock
     */
    void settleCommitted(List<String> delivered, List<String> committedUnits, List<String> discardedCompensations,
            Instant now);

    /** Finishes one unit. */
    void finishUnit(String unitId, State state, Status pendingBecomes, Status lambdaBecomes, Instant now);

    /** Sets a unit's state and lease. */
    void setUnitState(String unitId, State state, Instant leaseUntil, Instant now);

    /** @return the unit's state, or {@code null} when there is no such unit */
    @Nullable State unitState(String unitId);

    // ------------------------------------------------------------------ leases and claims (J4)

    /** Extends the leases of {@code owner}'s open units; @return how many */
    int renewUnits(List<String> ids, String owner, Instant leaseUntil, Instant now);

    /** Extends {@code owner}'s claims on running outbox rows. */
    void renewClaims(List<String> ids, String owner, Instant leaseUntil, Instant now);

    /** Extends one claim unless another instance took the row over; @return {@code 0} when it did */
    int renewClaim(String id, String owner, Instant leaseUntil, Instant now);

    /** Claims a waiting command, counting the attempt; @return {@code 0} when it is not waiting */
    int claim(String id, String owner, Instant leaseUntil, Instant now);

    /**
     * Claims due dispatches and those whose claim expired, skipping rows other instances hold; a dead dispatch blocks
     * its ordering key.
     */
    default List<JournalEntry> claimDueDispatches(String owner, Instant now, Instant leaseUntil, int limit) {
        return claimDueDispatches(owner, now, leaseUntil, limit, true);
    }

    /**
     * Claims due dispatches and those whose claim expired, skipping rows other instances hold, in order per ordering
     * key (M2): a dispatch with a key is claimed only while no earlier one of that key (lower {@code orderingSeq},
     * then lower id) waits, is claimed, or, when {@code deadBlocksKey}, is dead. So a batch holds at most one dispatch
     * per key, the oldest unfinished one. Dispatches without a key are claimed as they come due.
     *
     * @param deadBlocksKey whether a dead dispatch keeps the later ones of its key waiting until a person acts
     */
    List<JournalEntry> claimDueDispatches(String owner, Instant now, Instant leaseUntil, int limit,
            boolean deadBlocksKey);

    /**
     * Hands a dispatch that this instance claimed when it was written back to waiting, due now and its attempt not
     * counted, when delivering it right after commit could overtake another dispatch of the same ordering key or run
     * beside it (M2): an earlier one (lower {@code orderingSeq}, then lower id) is unfinished (waiting, claimed, or
     * dead when {@code deadBlocksKey}), or another instance holds a live claim on a later one. Committed at once.
     *
     * @return whether it was handed back; {@code false} when it is free to be delivered now
     */
    boolean yieldToSameKey(String id, String owner, String orderingKey, long orderingSeq, boolean deadBlocksKey,
            Instant now);

    /** Claims units whose lease expired, skipping rows other instances hold; @return their ids */
    List<String> claimDueUnits(String owner, Instant now, Instant leaseUntil, int limit);

    // ------------------------------------------------------------------ running commands

    /** Marks commands done. */
    void markDone(List<String> ids, Instant now);

    /** Records a failed attempt: waiting again until {@code nextAttemptAt}, or parked with {@code status}. */
    void markFailed(String id, Status status, Instant nextAttemptAt, String error, Instant now);

    /** Parks a command that cannot run, with the reason. */
    void park(String id, Status status, String reason, Instant now);

    /**
     * Marks a compensation as run by recovery, counting the attempt before it is made, unless a live instance runs it
     * (running, its claim not expired, owned by another instance).
     *
     * @return {@code 0} when another instance runs it now
     */
    int startAttempt(String id, String owner, Instant leaseUntil, Instant now);

    // ------------------------------------------------------------------ recovery (J2)

    /**
     * Decides a unit's fate for good by its marker; waits up to {@code timeoutSeconds} on a business transaction that
     * still holds it.
     *
     * @return the verdict, or {@code null} when the business transaction still runs or the database did not answer
     */
    @Nullable Verdict fence(String unitId, Instant now, int timeoutSeconds);

    /** @return the unit's compensations, newest first */
    List<JournalEntry> compensationsOf(String unitId);

    // ------------------------------------------------------------------ operations (O1, T3)

    /** Puts a dead, failed or parked command back to waiting with fresh attempts; @return how many rows changed */
    int retrigger(String id, Instant now);

    /** Closes a unit that needs a person by a person's decision; @return whether it needed one */
    boolean closeUnitByPerson(String unitId, State unitState, Status commandStatus, String text, Instant now);

    /** Closes a dead dispatch by a person's decision; @return whether it was dead */
    boolean closeDispatchByPerson(String id, Status commandStatus, String text, Instant now);

    /** Keeps one action a person took, committed at once. */
    void addNote(NoteRow row);

    /** @return the actions people took on a unit or a dispatch, oldest first */
    List<NoteRow> notesOf(String scopeId);

    /** Units and dispatches in the given states, newest first, at most {@code limit} of each. */
    List<ScopeRow> findScopeRows(Collection<State> unitStates, Collection<Status> dispatchStatuses,
            @Nullable Instant createdBefore, @Nullable Instant createdAfter, int limit);

    /** @return the unit with this id, or else the dispatch; {@code null} when neither exists */
    @Nullable ScopeRow findScopeRow(String id);

    /** @return how many units are in each state, by column value */
    Map<String, Long> countUnitStates();

    /** @return how many dispatches have each status, by column value */
    Map<String, Long> countDispatchStatuses();

    /** @return commands with the given status, oldest first */
    List<JournalEntry> findByStatus(Status status, int limit);

    /** @return the command, or {@code null} */
    @Nullable JournalEntry find(String id);

    /** @return how many commands of that kind have that status */
    int count(Kind kind, Status status);

    /** @return units in the given state, oldest first */
    List<JournalUnit> findUnits(State state, int limit);

    /**
     * Deletes finished entries last changed before {@code before}; never one that needs a person or still runs.
     *
     * @return rows deleted
     */
    int purgeFinished(Instant before);
}
