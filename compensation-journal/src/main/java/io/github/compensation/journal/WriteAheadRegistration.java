package io.github.compensation.journal;

import io.github.compensation.Command;
import io.github.compensation.CommandKind;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalUnit.State;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The journal's side of running scopes (J2, J3): it writes each durable compensation ahead of the caller, on a
 * connection of its own, opening the scope's <em>unit</em> with the first one; right before the business transaction
 * commits it writes, in that transaction and in one write, the markers of the units opened in it and the outbox rows
 * queued in it; it keeps the leases of its running units and held outbox rows; and it records how each journaled scope
 * ended, leaving what a committed scope needs written to the {@link SettlementBatch}. Thread-safe.
 *
 * <p>What it keeps per scope lives on the scope that settles it, as an attribute ({@link ScopeJournal}). A set of the
 * scopes with journaled state is kept as well, because the worker renews the leases of all running units of this
 * instance at once, and no scope is at hand then; the same set finds a scope's state when the engine reports its end
 * from a thread where the scope is not bound.
 */
final class WriteAheadRegistration {

    private static final System.Logger LOG = System.getLogger(WriteAheadRegistration.class.getName());

    /** The name of the attribute that holds a scope's {@link ScopeJournal}. */
    private static final String STATE = WriteAheadRegistration.class.getName();

    private final JournalContext context;
    private final SettlementBatch settlements;
    /** Scopes with journaled state that have not settled yet (lease renewal, and reports heard off their thread). */
    private final Set<ScopeJournal> running = ConcurrentHashMap.newKeySet();
    private final Object transactionKey = new Object();
    /**
     * Outbox rows whose transaction committed while their scope was still running (an inner transaction): they keep
     * this instance's claim, renewed with the units' leases, until the scope settles, so that no worker delivers them
     * before the scope's outcome is known.
     */
    private final Set<OutboxDelivery.DurableDispatch> awaitingOutcome = ConcurrentHashMap.newKeySet();

    WriteAheadRegistration(JournalContext context, SettlementBatch settlements) {
        this.context = context;
        this.settlements = settlements;
    }

    /**
     * Journals a compensation that was just pushed on the scope's stack. Called in the caller, before it goes on.
     *
     * @param description as registered
     * @param call        the recorded call, or {@code null} for a lambda (journaled as not recoverable)
     * @param command     the in-memory command, told whether it was journaled
     */
    void journalCompensation(String description, @Nullable RecordedCall call, DurableCompensation command) {
        journalCompensation(description, call, command, false);
    }

    /**
     * Journals a compensation; one put at the bottom of the stack gets a negative sequence number, so that recovery,
     * which runs the highest number first, runs it after all others, the latest bottom one last (R2). The unit's
     * marker is not written here but right before the business transaction commits, with its outbox rows.
     */
    void journalCompensation(String description, @Nullable RecordedCall call, DurableCompensation command,
            boolean bottom) {
        CompensationScope scope = Compensations.receivingScope(CommandKind.COMPENSATION);
        if (scope == null) {
            return;
        }
        ScopeJournal journal = stateOf(scope.settlingScope());
        TransactionState transaction = inBusinessTransaction() ? transactionState() : null;
        Unit unit;
        boolean created = false;
        synchronized (journal) {
            unit = transaction != null ? transaction.units.get(journal) : journal.withoutTransaction;
            if (unit == null) {
                unit = new Unit(UUID.randomUUID().toString(), journal.name, transaction != null);
                created = true;
            }
        }
        int seq = bottom ? -unit.bottomSeq.incrementAndGet() : unit.seq.incrementAndGet();
        Status status = call == null ? Status.LAMBDA : Status.PENDING;
        Instant now = context.now();
        context.store.writeAhead(created ? new JournalRepository.NewUnit(unit.id, unit.name,
                context.settings.instanceId(), context.leaseUntil()) : null,
                new JournalRepository.NewCompensation(command.id, unit.id, seq, description, call, status), now);
        command.journaled = true;
        unit.compensations.add(command.id);
        if (created) {
            synchronized (journal) {
                journal.units.add(unit);
                if (transaction != null) {
                    transaction.units.put(journal, unit);
                }
                else {
                    journal.withoutTransaction = unit;
                }
            }
            if (transaction != null) {
                transaction.markUnit(unit.id);
            }
        }
    }

    /**
     * Journals a dispatch that was just queued. Inside a business transaction on the journal's data source its outbox
     * row is written in that transaction right before it commits, claimed by this instance from the start, so that the
     * scope delivers it right after commit without claiming it first; otherwise it is written when the scope commits,
     * right before it is delivered.
     *
     * @param command the in-memory command
     */
    void journalDispatch(OutboxDelivery.DurableDispatch command) {
        CompensationScope scope = Compensations.receivingScope(CommandKind.DISPATCH);
        if (scope == null || !inBusinessTransaction()) {
            return;
        }
        TransactionState transaction = transactionState();
        command.writtenIn = context.store.currentTransaction();
        command.journaled = true;
        command.recordWithScope = true;
        transaction.queue(command);
        List<String> chain = new ArrayList<>(2);
        CompensationScope root = scope;
        for (CompensationScope link = scope; link != null; link = link.joinedScope()) {
            chain.add(link.id());
            root = link;
        }
        ScopeJournal journal = stateOf(root);
        synchronized (journal) {
            journal.held.add(new HeldDispatch(command, chain));
        }
    }

    /** The journal's state of a scope that settles commands, made on first use and kept on the scope. */
    private ScopeJournal stateOf(CompensationScope root) {
        return root.attribute(STATE, () -> {
            ScopeJournal made = new ScopeJournal(root.id(), root.name());
            running.add(made);
            return made;
        });
    }

    /**
     * The journal's state of the scope a report is about, or {@code null} when it journaled nothing of its own. The
     * engine reports a scope's end with the scope bound to the thread; when it is not, the set of running scopes is
     * searched.
     */
    private @Nullable ScopeJournal stateOf(ScopeReport report) {
        CompensationScope bound = Compensations.currentScope();
        if (bound != null && bound.id().equals(report.id())) {
            return (ScopeJournal) bound.getAttribute(STATE);
        }
        for (ScopeJournal journal : running) {
            if (journal.scopeId.equals(report.id())) {
                return journal;
            }
        }
        return null;
    }

    /**
     * The states in which the dispatches of a scope that did not commit may be held: its own, or, for a nested scope,
     * that of the scope that settles it; all running ones when the scope is not at hand.
     */
    private Collection<ScopeJournal> holdersOf(ScopeReport report, @Nullable ScopeJournal own) {
        if (own != null) {
            return List.of(own);
        }
        CompensationScope bound = Compensations.currentScope();
        if (bound != null && bound.id().equals(report.id())) {
            ScopeJournal root = (ScopeJournal) bound.settlingScope().getAttribute(STATE);
            return root == null ? List.of() : List.of(root);
        }
        return List.copyOf(running);
    }

    /**
     * The engine drops the dispatches of a scope that did not commit, also when it was nested in a scope, or inside a
     * caller's transaction, that goes on to commit (N1, D5). An outbox row not written yet is never written; one
     * written in that transaction is deleted in it, before it commits; one whose inner transaction already committed
     * is deleted on the journal's own connection.
     */
    private void dropDispatchesOf(ScopeReport report, Collection<ScopeJournal> holders) {
        List<OutboxDelivery.DurableDispatch> dropped = new ArrayList<>();
        List<String> committed = new ArrayList<>();
        for (ScopeJournal journal : holders) {
            synchronized (journal) {
                for (var iterator = journal.held.iterator(); iterator.hasNext(); ) {
                    HeldDispatch dispatch = iterator.next();
                    if (dispatch.chain().contains(report.id())) {
                        OutboxDelivery.DurableDispatch command = dispatch.command();
                        command.scopeSettled = true;
                        awaitingOutcome.remove(command);
                        if (command.committed) {
                            committed.add(command.id);
                        }
                        else {
                            dropped.add(command);
                        }
                        iterator.remove();
                    }
                }
            }
        }
        withdrawDispatches(dropped);
        context.store.deleteClaimed(committed, context.settings.instanceId());
    }

    private record HeldDispatch(OutboxDelivery.DurableDispatch command, List<String> chain) {
    }

    private boolean inBusinessTransaction() {
        return context.store.inBusinessTransaction();
    }

    /**
     * What the journal keeps for the business transaction bound to the thread: the units opened in it, whose markers
     * it writes right before the commit together with the outbox rows queued in it; those rows are told when the
     * transaction committed.
     */
    private TransactionState transactionState() {
        TransactionState state = (TransactionState) TransactionSynchronizationManager.getResource(transactionKey);
        if (state == null) {
            TransactionState created = new TransactionState();
            TransactionSynchronizationManager.bindResource(transactionKey, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResourceIfPossible(transactionKey);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(transactionKey, created);
                }

                @Override
                public void beforeCommit(boolean readOnly) {
                    writeAtCommit(created);
                }

                @Override
                public void afterCommit() {
                    for (OutboxDelivery.DurableDispatch dispatch : created.outbox) {
                        dispatch.committed = true;
                        if (!dispatch.scopeSettled) {
                            awaitingOutcome.add(dispatch);
                        }
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(transactionKey);
                }
            });
            state = created;
        }
        return state;
    }

    /**
     * Writes, in the business transaction right before it commits, the markers of the units opened in it and its
     * outbox rows still wanted, in one write (J2, J3). Rows queued later in the commit (by another synchronization)
     * are written at once. When recovery fenced a unit off first (its lease expired while the transaction ran), the
     * marker cannot be written and the transaction rolls back: its compensations are recovery's to run, and those
     * this scope then runs in memory find them taken.
     */
    private void writeAtCommit(TransactionState state) {
        List<JournalRepository.NewDispatch> rows = new ArrayList<>(state.pending.size());
        for (OutboxDelivery.DurableDispatch dispatch : state.pending) {
            if (!dispatch.dropped) {
                rows.add(dispatch.claimedRow());
                dispatch.written = true;
            }
        }
        state.flushed = true;
        try {
            context.store.writeAtCommitInTransaction(state.markers, rows, context.now());
        }
        catch (DuplicateKeyException fenced) {
            throw new IllegalStateException("The journal's unit of this transaction was fenced off by recovery (its"
                    + " lease expired while the transaction ran: was the instance frozen, or the lease shorter than the"
                    + " transaction?); the transaction cannot commit and is rolled back, and recovery runs its"
                    + " compensations", fenced);
        }
    }

    private final class TransactionState {
        final Map<ScopeJournal, Unit> units = new HashMap<>(4);
        final List<String> markers = new ArrayList<>(2);
        final List<OutboxDelivery.DurableDispatch> outbox = new ArrayList<>(4);
        final List<OutboxDelivery.DurableDispatch> pending = new ArrayList<>(4);
        boolean flushed;

        void markUnit(String unitId) {
            if (flushed) {
                context.store.writeAtCommitInTransaction(List.of(unitId), List.of(), context.now());
            }
            else {
                markers.add(unitId);
            }
        }

        void queue(OutboxDelivery.DurableDispatch dispatch) {
            outbox.add(dispatch);
            if (flushed) {
                context.store.insertDispatchInTransaction(dispatch.claimedRow(), context.now());
                dispatch.written = true;
            }
            else {
                pending.add(dispatch);
            }
        }
    }

    /** Forgets one scope's open units and held dispatches without settling them, as if this instance had died. */
    void forgetScope(String scopeId) {
        for (ScopeJournal journal : running) {
            if (journal.scopeId.equals(scopeId)) {
                running.remove(journal);
                synchronized (journal) {
                    journal.forgotten = true;
                    journal.held.forEach(dispatch -> awaitingOutcome.remove(dispatch.command()));
                }
            }
        }
    }

    // ------------------------------------------------------------------ withdrawing (R11, D6)

    /**
     * Marks a journaled compensation that its scope's method withdrew: status {@code DISCARDED}, the note kept as its
     * last error, written on a connection of its own like the row itself, so that recovery never runs it, whatever
     * becomes of the business transaction.
     */
    void withdrawCompensation(DurableCompensation command, String note) {
        if (command.journaled) {
            context.store.park(command.id, Status.DISCARDED, note, context.now());
        }
    }

    /**
     * Refuses to withdraw durable dispatches whose outbox rows were written in a transaction other than the current
     * one: the row could be neither deleted in that transaction nor updated from another without waiting on its
     * locks. A dispatch queued outside a transaction has no row yet, and never gets one once withdrawn.
     */
    void checkWithdrawable(List<OutboxDelivery.DurableDispatch> commands) {
        Object current = context.store.currentTransaction();
        for (OutboxDelivery.DurableDispatch command : commands) {
            if (command.journaled && command.writtenIn != current) {
                throw new IllegalStateException("Cannot withdraw durable dispatch '" + command.description
                        + "': its outbox row was written in another transaction than the current one; withdraw it"
                        + " inside the transaction that queued it");
            }
        }
    }

    /**
     * Withdraws the outbox rows of dispatches: one not written yet never will be; one written in the business
     * transaction bound to the thread is deleted in it.
     */
    void withdrawDispatches(List<OutboxDelivery.DurableDispatch> commands) {
        for (OutboxDelivery.DurableDispatch command : commands) {
            if (!command.journaled) {
                continue;
            }
            command.dropped = true;
            if (command.written && inBusinessTransaction()) {
                context.store.deleteDispatchInTransaction(command.id);
            }
        }
    }

    /** The durable dispatches journaled so far that a scope would dispatch: its own and those of scopes joining it. */
    List<OutboxDelivery.DurableDispatch> journaledDispatchesOf(CompensationScope scope) {
        ScopeJournal journal = (ScopeJournal) scope.settlingScope().getAttribute(STATE);
        if (journal == null) {
            return List.of();
        }
        List<OutboxDelivery.DurableDispatch> found = new ArrayList<>();
        synchronized (journal) {
            for (HeldDispatch dispatch : journal.held) {
                if (dispatch.chain().contains(scope.id())) {
                    found.add(dispatch.command());
                }
            }
        }
        return found;
    }

    /**
     * Records how a scope ended. For a committed one, what it delivered right after commit is to be marked done and its
     * units closed: left to the {@link SettlementBatch}, which the worker writes for many scopes at once. Should that
     * write be lost, nothing is: the deliveries are repeated once their claims expire (at least once, J4) and recovery
     * closes the units by their markers.
     */
    void scopeFinished(ScopeReport report) {
        ScopeJournal own = stateOf(report);
        if (own != null && own.forgotten) {
            return;
        }
        boolean committed = report.outcome() == Outcome.COMMITTED;
        if (!committed && (own != null || !running.isEmpty())) {
            try {
                dropDispatchesOf(report, holdersOf(report, own));
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not drop the outbox rows of scope " + report.id() + " "
                        + report.name() + ", which did not commit; they may be delivered", failure);
            }
        }
        if (own == null) {
            return;
        }
        running.remove(own);
        List<String> delivered = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        List<String> discarded = new ArrayList<>();
        List<Unit> units;
        synchronized (own) {
            if (committed) {
                for (HeldDispatch dispatch : own.held) {
                    dispatch.command().scopeSettled = true;
                    awaitingOutcome.remove(dispatch.command());
                    dispatch.command().recordWithScope = false;
                    if (dispatch.command().deliveredUnrecorded) {
                        delivered.add(dispatch.command().id);
                    }
                }
            }
            units = List.copyOf(own.units);
        }
        for (Unit unit : units) {
            try {
                settle(unit, report.outcome(), finished, discarded);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not record the end of scope " + report.id() + " " + report.name()
                        + " (unit " + unit.id + "); recovery will settle it once its lease expires", failure);
            }
        }
        try {
            settlements.add(delivered, finished, discarded);
        }
        catch (RuntimeException failure) {
            LOG.log(Level.ERROR, "Journal could not record the end of scope " + report.id() + " " + report.name()
                    + "; its deliveries may be repeated and recovery will close it once its lease expires", failure);
        }
    }

    /**
     * Settles a unit, adding to {@code finished} a committed one and to {@code discarded} its compensations, to be
     * closed with the settlement batch.
     */
    private void settle(Unit unit, Outcome outcome, List<String> finished, List<String> discarded) {
        Instant now = context.now();
        switch (outcome) {
            case COMMITTED -> {
                if (!unit.inTransaction) {
                    if (context.store.commitOwnMarker(unit.id, now) == Verdict.ABORTED) {
                        LOG.log(Level.ERROR, "Scope " + unit.name + " (unit " + unit.id + ") committed after its"
                                + " lease had expired and recovery had already compensated it");
                        return;
                    }
                }
                finished.add(unit.id);
                discarded.addAll(unit.compensations);
            }
            case FAILED_NO_ROLLBACK -> context.store.finishUnit(unit.id, State.DISCARDED, Status.DISCARDED,
                    Status.SETTLED, now);
            case ROLLED_BACK, CANCELLED -> {
                boolean left = context.store.compensationsOf(unit.id).stream().anyMatch(entry ->
                        entry.status() == Status.PENDING || entry.status() == Status.RUNNING);
                context.store.finishUnit(unit.id, left ? State.FAILED : State.COMPENSATED, Status.FAILED,
                        Status.SETTLED, now);
            }
            case UNKNOWN -> {
                boolean left = context.store.compensationsOf(unit.id).stream().anyMatch(entry ->
                        entry.status() == Status.PENDING);
                if (left) {
                    context.store.setUnitState(unit.id, State.UNKNOWN, now, now);
                    LOG.log(Level.ERROR, "Scope " + unit.name + " (unit " + unit.id + ") ended with an unknown"
                            + " transaction outcome; its compensations are kept in the journal for an operator:"
                            + " Journal.resolveUnknown(\"" + unit.id + "\") decides it from the marker row");
                }
                else {
                    context.store.finishUnit(unit.id, State.COMPENSATED, Status.FAILED, Status.SETTLED, now);
                }
            }
        }
    }

    /**
     * Renews the leases of this instance's open units, so that no other instance recovers a scope still running
     * here, and its claims on outbox rows that an inner transaction committed while their scope still runs, so that
     * no worker delivers them before that scope's outcome is known. Called by the worker at every poll.
     *
     * @return units renewed
     */
    int renewLeases() {
        List<String> ids = new ArrayList<>();
        for (ScopeJournal journal : running) {
            synchronized (journal) {
                journal.units.forEach(unit -> ids.add(unit.id));
            }
        }
        int renewed = context.store.renewUnits(ids, context.settings.instanceId(), context.leaseUntil(), context.now());
        List<String> dispatches = new ArrayList<>();
        for (OutboxDelivery.DurableDispatch dispatch : awaitingOutcome) {
            dispatches.add(dispatch.id);
        }
        context.store.renewClaims(dispatches, context.settings.instanceId(), context.leaseUntil(), context.now());
        return renewed;
    }

    /** A durable compensation as pushed on the in-memory stack. */
    final class DurableCompensation implements Command {

        final String id = UUID.randomUUID().toString();
        final Command live;
        final boolean recoverable;
        volatile boolean journaled;

        DurableCompensation(Command live, boolean recoverable) {
            this.live = live;
            this.recoverable = recoverable;
        }

        @Override
        public void run() throws Exception {
            if (!journaled || !recoverable) {
                IdempotencyKey.run(id, live);
                return;
            }
            try {
                if (context.store.claim(id, context.settings.instanceId(), context.leaseUntil(), context.now()) == 0) {
                    LOG.log(Level.WARNING, "Compensation " + id + " was already taken by recovery; not run again");
                    return;
                }
            }
            catch (DataAccessException unreachable) {
                LOG.log(Level.WARNING, "Journal unreachable; running compensation " + id + " from memory",
                        unreachable);
                IdempotencyKey.run(id, live);
                return;
            }
            try {
                IdempotencyKey.run(id, live);
            }
            catch (Exception | Error failure) {
                JournalContext.recordQuietly(() -> context.store.markFailed(id, Status.PENDING, context.now(),
                        JournalContext.describe(failure),
                        context.now()));
                throw failure;
            }
            JournalContext.recordQuietly(() -> context.store.markDone(List.of(id), context.now()));
        }
    }

    /**
     * What the journal keeps for one scope that settles commands, as that scope's attribute: the units opened for it
     * (one per business transaction it ran, and one for work outside any) and the outbox rows it will deliver or drop,
     * each with the chain of scopes it depends on (N1). Guarded by its own lock.
     */
    private static final class ScopeJournal {
        final String scopeId;
        final String name;
        final List<Unit> units = new ArrayList<>(2);
        @Nullable Unit withoutTransaction;
        final List<HeldDispatch> held = new ArrayList<>(2);
        /** Set when this instance is to behave as if it had died before the scope settled (tests). */
        volatile boolean forgotten;

        ScopeJournal(String scopeId, String name) {
            this.scopeId = scopeId;
            this.name = name;
        }
    }

    private static final class Unit {
        final String id;
        final String name;
        final boolean inTransaction;
        final AtomicInteger seq = new AtomicInteger();
        final AtomicInteger bottomSeq = new AtomicInteger();
        /** The ids of its journaled compensations: a committed unit's are settled by id, through the primary key. */
        final Queue<String> compensations = new ConcurrentLinkedQueue<>();

        Unit(String id, String name, boolean inTransaction) {
            this.id = id;
            this.name = name;
            this.inTransaction = inTransaction;
        }
    }
}
