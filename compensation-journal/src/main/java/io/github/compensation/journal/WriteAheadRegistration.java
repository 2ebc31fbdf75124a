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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The journal's side of running scopes (J2, J3): it writes each durable compensation ahead of the caller, on a
 * connection of its own, opening the scope's <em>unit</em> with the first one and putting its marker row into the
 * business transaction; it writes outbox rows into the business transaction; it keeps the leases of its running units
 * and held outbox rows; and it records how each journaled scope ended. Thread-safe.
 */
final class WriteAheadRegistration {

    private static final System.Logger LOG = System.getLogger(WriteAheadRegistration.class.getName());

    private final JournalContext context;
    private final Map<String, ScopeUnits> open = new ConcurrentHashMap<>();
    private final Map<String, List<HeldDispatch>> held = new ConcurrentHashMap<>();
    private final Object transactionKey = new Object();
    /**
     * Outbox rows whose transaction committed while their scope was still running (an inner transaction): they keep
     * this instance's claim, renewed with the units' leases, until the scope settles, so that no worker delivers them
     * before the scope's outcome is known.
     */
    private final Set<OutboxDelivery.DurableDispatch> awaitingOutcome = ConcurrentHashMap.newKeySet();

    WriteAheadRegistration(JournalContext context) {
        this.context = context;
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
     * which runs the highest number first, runs it after all others, the latest bottom one last (R2).
     */
    void journalCompensation(String description, @Nullable RecordedCall call, DurableCompensation command,
            boolean bottom) {
        CompensationScope scope = Compensations.receivingScope(CommandKind.COMPENSATION);
        if (scope == null) {
            return;
        }
        CompensationScope root = scope.settlingScope();
        ScopeUnits units = open.computeIfAbsent(root.id(), id -> new ScopeUnits());
        boolean inTransaction = inBusinessTransaction();
        Unit unit;
        boolean created = false;
        synchronized (units) {
            unit = inTransaction ? transactionState().units.get(root.id()) : units.withoutTransaction;
            if (unit == null) {
                unit = new Unit(UUID.randomUUID().toString(), root.name(), inTransaction);
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
        if (created) {
            synchronized (units) {
                units.all.add(unit);
                if (inTransaction) {
                    transactionState().units.put(root.id(), unit);
                }
                else {
                    units.withoutTransaction = unit;
                }
            }
            if (inTransaction) {
                context.store.markCommittedInTransaction(unit.id, now);
            }
        }
    }

    /**
     * Journals a dispatch that was just queued: inside the business transaction when there is one on the journal's
     * data source, claimed by this instance from the start, so that the scope delivers it right after commit without
     * claiming it first; otherwise it is written when the scope commits, right before it is delivered.
     *
     * @param command the in-memory command
     */
    void journalDispatch(OutboxDelivery.DurableDispatch command) {
        CompensationScope scope = Compensations.receivingScope(CommandKind.DISPATCH);
        if (scope == null || !inBusinessTransaction()) {
            return;
        }
        context.store.insertDispatchInTransaction(command.claimedRow(), context.now());
        command.writtenIn = context.store.currentTransaction();
        command.journaled = true;
        transactionState().outbox.add(command);
        command.recordWithScope = true;
        List<String> chain = new ArrayList<>(2);
        CompensationScope root = scope;
        for (CompensationScope link = scope; link != null; link = link.joinedScope()) {
            chain.add(link.id());
            root = link;
        }
        List<HeldDispatch> dispatches = held.computeIfAbsent(root.id(), id -> new ArrayList<>());
        synchronized (dispatches) {
            dispatches.add(new HeldDispatch(command, chain));
        }
    }

    /**
     * The engine drops the dispatches of a scope that did not commit, also when it was nested in a scope, or inside a
     * caller's transaction, that goes on to commit (N1, D5). Their outbox rows were written in that transaction, so
     * they are deleted in it too, before it commits.
     */
    private void dropDispatchesOf(ScopeReport report, @Nullable List<HeldDispatch> ofRoot) {
        List<String> dropped = new ArrayList<>();
        List<String> committed = new ArrayList<>();
        List<List<HeldDispatch>> candidates = ofRoot != null ? List.of(ofRoot) : List.copyOf(held.values());
        for (List<HeldDispatch> dispatches : candidates) {
            synchronized (dispatches) {
                for (var iterator = dispatches.iterator(); iterator.hasNext(); ) {
                    HeldDispatch dispatch = iterator.next();
                    if (dispatch.chain().contains(report.id())) {
                        OutboxDelivery.DurableDispatch command = dispatch.command();
                        command.scopeSettled = true;
                        awaitingOutcome.remove(command);
                        (command.committed ? committed : dropped).add(command.id);
                        iterator.remove();
                    }
                }
            }
        }
        if (!dropped.isEmpty() && inBusinessTransaction()) {
            for (String id : dropped) {
                context.store.deleteDispatchInTransaction(id);
            }
        }
        context.store.deleteClaimed(committed, context.settings.instanceId());
    }

    private record HeldDispatch(OutboxDelivery.DurableDispatch command, List<String> chain) {
    }

    private boolean inBusinessTransaction() {
        return context.store.inBusinessTransaction();
    }

    /**
     * What the journal wrote in the business transaction bound to the thread: its units, and its outbox rows, which
     * are told when the transaction committed.
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

    private static final class TransactionState {
        final Map<String, Unit> units = new HashMap<>(4);
        final List<OutboxDelivery.DurableDispatch> outbox = new ArrayList<>(4);
    }

    /** Forgets one scope's open units and held dispatches without settling them, as if this instance had died. */
    void forgetScope(String scopeId) {
        open.remove(scopeId);
        List<HeldDispatch> dispatches = held.remove(scopeId);
        if (dispatches != null) {
            synchronized (dispatches) {
                dispatches.forEach(dispatch -> awaitingOutcome.remove(dispatch.command()));
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

    /** Deletes the outbox rows of withdrawn dispatches in the business transaction that wrote them. */
    void withdrawDispatches(List<OutboxDelivery.DurableDispatch> commands) {
        for (OutboxDelivery.DurableDispatch command : commands) {
            if (command.journaled) {
                context.store.deleteDispatchInTransaction(command.id);
            }
        }
    }

    /** The durable dispatches journaled so far that a scope would dispatch: its own and those of scopes joining it. */
    List<OutboxDelivery.DurableDispatch> journaledDispatchesOf(CompensationScope scope) {
        CompensationScope root = scope.settlingScope();
        List<HeldDispatch> dispatches = held.get(root.id());
        if (dispatches == null) {
            return List.of();
        }
        List<OutboxDelivery.DurableDispatch> found = new ArrayList<>();
        synchronized (dispatches) {
            for (HeldDispatch dispatch : dispatches) {
                if (dispatch.chain().contains(scope.id())) {
                    found.add(dispatch.command());
                }
            }
        }
        return found;
    }

    /**
     * Records how a scope ended. For a committed one, what it delivered right after commit is marked done in the same
     * write that closes its units: one round trip on PostgreSQL. Should that write be lost, nothing is: the
     * deliveries are repeated once their claims expire (at least once, J4) and recovery closes the units by their
     * markers.
     */
    void scopeFinished(ScopeReport report) {
        List<HeldDispatch> ofRoot = held.remove(report.id());
        boolean committed = report.outcome() == Outcome.COMMITTED;
        if (!committed && (ofRoot != null || !held.isEmpty())) {
            try {
                dropDispatchesOf(report, ofRoot);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not drop the outbox rows of scope " + report.id() + " "
                        + report.name() + ", which did not commit; they may be delivered", failure);
            }
        }
        List<String> delivered = new ArrayList<>();
        List<JournalRepository.FinishedUnit> finished = new ArrayList<>();
        if (committed && ofRoot != null) {
            synchronized (ofRoot) {
                for (HeldDispatch dispatch : ofRoot) {
                    dispatch.command().scopeSettled = true;
                    awaitingOutcome.remove(dispatch.command());
                    dispatch.command().recordWithScope = false;
                    if (dispatch.command().deliveredUnrecorded) {
                        delivered.add(dispatch.command().id);
                    }
                }
            }
        }
        ScopeUnits units = open.remove(report.id());
        List<Unit> all = List.of();
        if (units != null) {
            synchronized (units) {
                all = List.copyOf(units.all);
            }
        }
        for (Unit unit : all) {
            try {
                settle(unit, report.outcome(), finished);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not record the end of scope " + report.id() + " " + report.name()
                        + " (unit " + unit.id + "); recovery will settle it once its lease expires", failure);
            }
        }
        if (!delivered.isEmpty() || !finished.isEmpty()) {
            try {
                context.store.settle(delivered, finished, context.now());
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not record the end of scope " + report.id() + " " + report.name()
                        + "; its deliveries may be repeated and recovery will close it once its lease expires",
                        failure);
            }
        }
    }

    /** Settles a unit, adding to {@code finished} what can be written together with the others of its scope. */
    private void settle(Unit unit, Outcome outcome, List<JournalRepository.FinishedUnit> finished) {
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
                finished.add(new JournalRepository.FinishedUnit(unit.id, State.COMMITTED, Status.DISCARDED,
                        Status.SETTLED));
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
        for (ScopeUnits units : open.values()) {
            synchronized (units) {
                units.all.forEach(unit -> ids.add(unit.id));
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

    private static final class ScopeUnits {
        final List<Unit> all = new ArrayList<>(2);
        @Nullable Unit withoutTransaction;
    }

    private static final class Unit {
        final String id;
        final String name;
        final boolean inTransaction;
        final AtomicInteger seq = new AtomicInteger();
        final AtomicInteger bottomSeq = new AtomicInteger();

        Unit(String id, String name, boolean inTransaction) {
            this.id = id;
            this.name = name;
            this.inTransaction = inTransaction;
        }
    }
}
