package io.github.compensation.journal;

import io.github.compensation.Command;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.github.compensation.Outcome;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.CommandKind;
import io.github.compensation.ScopeReport;
import java.lang.System.Logger.Level;
import java.time.Clock;
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
 * The journal's engine: journals durable commands as they are registered, settles journaled scopes when they end,
 * delivers the outbox and recovers what a crashed instance left behind (clauses J1–J4, T3).
 *
 * <p><b>Compensations (J2).</b> The first durable compensation of a scope within a transaction opens a <em>unit</em>:
 * a row written on a connection of its own (so it survives the business transaction's rollback), leased to this
 * instance and renewed while the scope runs, plus a <em>marker</em> row written inside the business transaction. Each
 * compensation is written the same way before the caller goes on. When the scope settles, this listener records the
 * result. When an instance dies, its leases expire and another instance {@linkplain #recoverDue() recovers} the unit:
 * it inserts an "aborted" marker for it, which either fails because the business transaction's marker is there (it
 * committed: nothing to undo), waits while that transaction is still running, or succeeds, after which that
 * transaction can never commit, and the compensations run newest first.
 *
 * <p><b>Dispatches (J3).</b> A durable dispatch is written inside the business transaction (an outbox row), delivered
 * right after commit by the scope, and otherwise, or after a failure, by {@link #dispatchDue()} with Spring's
 * exponential back-off until it succeeds or parks as dead.
 *
 * <p>Thread-safe.
 */
public class Journal implements ScopeListener {

    private static final System.Logger LOG = System.getLogger(Journal.class.getName());

    private final JournalStore store;
    private final CommandResolver resolver;
    private final JournalSettings settings;
    private final Clock clock;
    private final Map<String, ScopeUnits> open = new ConcurrentHashMap<>();
    private final Map<String, List<HeldDispatch>> held = new ConcurrentHashMap<>();
    private final Object transactionKey = new Object();
    /**
     * Outbox rows whose transaction committed while their scope was still running (an inner transaction): they keep
     * this instance's claim, renewed with the units' leases, until the scope settles, so that no worker delivers them
     * before the scope's outcome is known.
     */
    private final Set<DurableDispatch> awaitingOutcome = ConcurrentHashMap.newKeySet();

    /**
     * @param store    the persistence
     * @param resolver reads stored calls back
     * @param settings the settings
     * @param clock    the clock for leases and back-off
     */
    public Journal(JournalStore store, CommandResolver resolver, JournalSettings settings, Clock clock) {
        this.store = store;
        this.resolver = resolver;
        this.settings = settings;
        this.clock = clock;
    }

    /** @return the persistence, for operations and tests */
    public JournalStore store() {
        return store;
    }

    /** @return the settings */
    public JournalSettings settings() {
        return settings;
    }

    CommandResolver resolver() {
        return resolver;
    }

    private Instant now() {
        return clock.instant();
    }

    private Instant leaseUntil() {
        return now().plus(settings.lease());
    }

    // ================================================================== registration

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
        String status = call == null ? JournalEntry.Status.LAMBDA : JournalEntry.Status.PENDING;
        Instant now = now();
        JournalStore.Write row = store.commandRow(command.id, unit.id, JournalEntry.COMPENSATION, seq, description,
                call, status, now);
        store.write(created ? List.of(store.unitRow(unit.id, unit.name, settings.instanceId(), leaseUntil(), now), row)
                : List.of(row));
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
                store.insertMarker(store.business(), unit.id, JournalStore.COMMITTED, now);
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
    void journalDispatch(DurableDispatch command) {
        CompensationScope scope = Compensations.receivingScope(CommandKind.DISPATCH);
        if (scope == null || !inBusinessTransaction()) {
            return;
        }
        command.claimedRow().to(store.business());
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
                        DurableDispatch command = dispatch.command();
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
                store.deleteUncommitted(store.business(), id);
            }
        }
        store.deleteClaimed(committed, settings.instanceId());
    }

    private record HeldDispatch(DurableDispatch command, List<String> chain) {
    }

    private boolean inBusinessTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.hasResource(store.dataSource());
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
                    for (DurableDispatch dispatch : created.outbox) {
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
        final List<DurableDispatch> outbox = new ArrayList<>(4);
    }

    // ================================================================== settling

    /**
     * Records how a scope ended. For a committed one, what it delivered right after commit is marked done in the same
     * write that closes its units: one round trip on PostgreSQL. Should that write be lost, nothing is: the
     * deliveries are repeated once their claims expire (at least once, J4) and recovery closes the units by their
     * markers.
     */
    @Override
    public void scopeFinished(ScopeReport report) {
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
        List<JournalStore.Write> writes = new ArrayList<>();
        if (committed && ofRoot != null) {
            List<String> delivered = new ArrayList<>();
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
            writes.addAll(store.doneRows(delivered, now()));
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
                settle(unit, report.outcome(), writes);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not record the end of scope " + report.id() + " " + report.name()
                        + " (unit " + unit.id + "); recovery will settle it once its lease expires", failure);
            }
        }
        if (!writes.isEmpty()) {
            try {
                store.write(writes);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Journal could not record the end of scope " + report.id() + " " + report.name()
                        + "; its deliveries may be repeated and recovery will close it once its lease expires",
                        failure);
            }
        }
    }

    /** Settles a unit, adding to {@code writes} what can be written together with the others of its scope. */
    private void settle(Unit unit, Outcome outcome, List<JournalStore.Write> writes) {
        Instant now = now();
        switch (outcome) {
            case COMMITTED -> {
                if (!unit.inTransaction) {
                    String verdict = commitWithoutTransaction(unit, now);
                    if (JournalStore.ABORTED.equals(verdict)) {
                        LOG.log(Level.ERROR, "Scope " + unit.name + " (unit " + unit.id + ") committed after its"
                                + " lease had expired and recovery had already compensated it");
                        return;
                    }
                }
                writes.addAll(store.finishUnitRows(unit.id, "COMMITTED", JournalEntry.Status.DISCARDED,
                        JournalEntry.Status.SETTLED, now));
            }
            case FAILED_NO_ROLLBACK -> store.finishUnit(unit.id, "DISCARDED", JournalEntry.Status.DISCARDED,
                    JournalEntry.Status.SETTLED, now);
            case ROLLED_BACK -> {
                boolean left = store.compensationsOf(unit.id).stream().anyMatch(entry ->
                        entry.status().equals(JournalEntry.Status.PENDING)
                                || entry.status().equals(JournalEntry.Status.RUNNING));
                store.finishUnit(unit.id, left ? "FAILED" : "COMPENSATED", JournalEntry.Status.FAILED,
                        JournalEntry.Status.SETTLED, now);
            }
            case UNKNOWN -> {
                boolean left = store.compensationsOf(unit.id).stream().anyMatch(entry ->
                        entry.status().equals(JournalEntry.Status.PENDING));
                if (left) {
                    store.setUnitState(unit.id, "UNKNOWN", now, now);
                    LOG.log(Level.ERROR, "Scope " + unit.name + " (unit " + unit.id + ") ended with an unknown"
                            + " transaction outcome; its compensations are kept in the journal for an operator:"
                            + " Journal.resolveUnknown(\"" + unit.id + "\") decides it from the marker row");
                }
                else {
                    store.finishUnit(unit.id, "COMPENSATED", JournalEntry.Status.FAILED, JournalEntry.Status.SETTLED,
                            now);
                }
            }
        }
    }

    private @Nullable String commitWithoutTransaction(Unit unit, Instant now) {
        try {
            store.own(jdbc -> {
                store.insertMarker(jdbc, unit.id, JournalStore.COMMITTED, now);
                return null;
            });
            return JournalStore.COMMITTED;
        }
        catch (org.springframework.dao.DuplicateKeyException fenced) {
            return store.own(jdbc -> jdbc.queryForObject("select verdict from " + settings.tablePrefix()
                    + "marker where unit_id = ?", String.class, unit.id));
        }
    }

    /**
     * Renews the leases of this instance's open units, so that no other instance recovers a scope still running
     * here, and its claims on outbox rows that an inner transaction committed while their scope still runs, so that
     * no worker delivers them before that scope's outcome is known. Called by the worker at every poll.
     *
     * @return units renewed
     */
    public int renewLeases() {
        List<String> ids = new ArrayList<>();
        for (ScopeUnits units : open.values()) {
            synchronized (units) {
                units.all.forEach(unit -> ids.add(unit.id));
            }
        }
        int renewed = store.renewUnits(ids, settings.instanceId(), leaseUntil(), now());
        List<String> dispatches = new ArrayList<>();
        for (DurableDispatch dispatch : awaitingOutcome) {
            dispatches.add(dispatch.id);
        }
        store.renewClaims(dispatches, settings.instanceId(), leaseUntil(), now());
        return renewed;
    }

    /**
     * Forgets every open unit without settling it, as if this instance had crashed; for tests.
     */
    public void forgetOpenUnits() {
        open.clear();
        held.clear();
        awaitingOutcome.clear();
    }

    // ================================================================== running commands

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
                if (store.claim(id, settings.instanceId(), leaseUntil(), now()) == 0) {
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
                recordQuietly(() -> store.markFailed(id, JournalEntry.Status.PENDING, now(), describe(failure),
                        now()));
                throw failure;
            }
            recordQuietly(() -> store.markDone(List.of(id), now()));
        }
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
        /** Whether a successful delivery is left for {@link #scopeFinished} to record with its scope's end. */
        volatile boolean recordWithScope;
        volatile boolean deliveredUnrecorded;
        /** Whether the transaction that wrote its outbox row committed. */
        volatile boolean committed;
        /** Whether its scope settled: from then on its outcome is known. */
        volatile boolean scopeSettled;
        int failures;

        DurableDispatch(String description, RecordedCall call, Command live) {
            this.description = description;
            this.call = call;
            this.live = live;
        }

        @Override
        public void run() throws Exception {
            try {
                if (!journaled) {
                    store.write(List.of(claimedRow()));
                    journaled = true;
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
                recordQuietly(() -> dispatchFailed(id, failures, failure));
                throw failure;
            }
            if (recordWithScope) {
                deliveredUnrecorded = true;
            }
            else {
                recordQuietly(() -> store.markDone(List.of(id), now()));
            }
        }

        /** Its outbox row, claimed by this instance for a lease from now; the claim is kept for {@link #claim()}. */
        JournalStore.Write claimedRow() {
            Instant now = now();
            Instant until = now.plus(settings.lease());
            claimedUntil = until;
            return store.claimedDispatchRow(id, description, call, settings.instanceId(), until, now);
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
                return store.claim(id, settings.instanceId(), leaseUntil(), now()) > 0;
            }
            if (now().plus(settings.lease().dividedBy(2)).isBefore(until)) {
                return true;
            }
            if (store.renewClaim(id, settings.instanceId(), leaseUntil(), now()) > 0) {
                return true;
            }
            LOG.log(Level.WARNING, "Dispatch " + id + " was taken over by another instance; not delivered here");
            return false;
        }
    }

    private void dispatchFailed(String id, int attempts, Throwable failure) {
        Instant now = now();
        if (attempts >= settings.dispatchMaxAttempts()) {
            store.markFailed(id, JournalEntry.Status.DEAD, now, "dead after " + attempts + " attempt(s): "
                    + describe(failure), now);
            LOG.log(Level.ERROR, "Dispatch " + id + " is dead after " + attempts + " attempt(s); re-trigger it with"
                    + " Journal.retrigger(\"" + id + "\")", failure);
        }
        else {
            store.markFailed(id, JournalEntry.Status.PENDING, now.plus(settings.delayAfter(attempts)),
                    describe(failure), now);
        }
    }

    private static void recordQuietly(Runnable record) {
        try {
            record.run();
        }
        catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "Journal could not record a command's result; it may run again (at least once)",
                    failure);
        }
    }

    static String describe(Throwable failure) {
        return failure.getClass().getName() + ": " + failure.getMessage();
    }

    // ================================================================== outbox worker (J3, J4)

    /**
     * Claims one batch of due dispatches (skipping rows other instances hold, taking over expired leases) and runs
     * them.
     *
     * @return how many were claimed; {@code 0} when nothing is due
     */
    public int dispatchDue() {
        Instant now = now();
        List<JournalEntry> rows = store.claimDueDispatches(settings.instanceId(), now, leaseUntil(),
                settings.batchSize());
        List<String> done = new ArrayList<>(rows.size());
        for (JournalEntry row : rows) {
            int attempt = row.attempts() + 1;
            if (attempt > settings.dispatchMaxAttempts()) {
                store.park(row.id(), JournalEntry.Status.DEAD, "dead after " + row.attempts() + " attempt(s), the"
                        + " last one never finished (did the instance running it die?)", now());
                LOG.log(Level.ERROR, "Dispatch " + row.id() + " '" + row.description() + "' parked as dead: its"
                        + " attempts are used up and the last one never finished");
                continue;
            }
            Command command;
            try {
                command = resolve(row);
            }
            catch (UnreadableCommandException unreadable) {
                store.park(row.id(), JournalEntry.Status.DEAD, "unreadable: " + unreadable.getMessage(), now());
                LOG.log(Level.ERROR, "Dispatch " + row.id() + " '" + row.description() + "' parked as dead: "
                        + unreadable.getMessage());
                continue;
            }
            try {
                IdempotencyKey.run(row.id(), command);
                done.add(row.id());
            }
            catch (Exception | Error failure) {
                dispatchFailed(row.id(), attempt, failure);
            }
        }
        store.markDone(done, now());
        return rows.size();
    }

    private Command resolve(JournalEntry row) {
        RecordedCall call = row.call();
        if (call == null) {
            throw new UnreadableCommandException("registered as a lambda: it cannot run after a crash");
        }
        return resolver.resolve(call);
    }

    // ================================================================== recovery (J2, J4)

    /**
     * Claims units whose lease expired (their instance died, or recovery is waiting to retry) and settles each: a
     * committed one is closed without compensating, any other is compensated newest first.
     *
     * @return how many units were claimed
     */
    public int recoverDue() {
        List<String> ids = store.claimDueUnits(settings.instanceId(), now(), leaseUntil(), settings.batchSize());
        for (String id : ids) {
            try {
                recoverUnit(id);
            }
            catch (RuntimeException failure) {
                LOG.log(Level.ERROR, "Recovery of unit " + id + " failed; it is retried when its lease expires",
                        failure);
            }
        }
        return ids.size();
    }

    private void recoverUnit(String id) {
        int timeout = (int) Math.max(1, settings.fenceTimeout().toSeconds());
        String verdict = store.fence(id, now(), timeout);
        if (verdict == null) {
            LOG.log(Level.INFO, "Unit " + id + " is still held by a running business transaction, or the database"
                    + " did not answer; retried when its lease expires again");
            return;
        }
        if (JournalStore.COMMITTED.equals(verdict)) {
            store.finishUnit(id, "COMMITTED", JournalEntry.Status.DISCARDED, JournalEntry.Status.SETTLED, now());
            return;
        }
        compensate(id);
    }

    private void compensate(String id) {
        boolean needsPerson = false;
        Instant nextDue = null;
        for (JournalEntry row : store.compensationsOf(id)) {
            switch (row.status()) {
                case JournalEntry.Status.DONE, JournalEntry.Status.DISCARDED, JournalEntry.Status.SETTLED -> {
                    continue;
                }
                case JournalEntry.Status.LAMBDA -> {
                    store.park(row.id(), JournalEntry.Status.PARKED, "registered as a lambda: not recoverable after"
                            + " a crash; undo '" + row.description() + "' by hand", now());
                    needsPerson = true;
                    continue;
                }
                case JournalEntry.Status.PENDING, JournalEntry.Status.RUNNING -> {
                    // runs below
                }
                default -> {
                    needsPerson = true;
                    continue;
                }
            }
            if (row.nextAttemptAt().isAfter(now())) {
                nextDue = nextDue == null || row.nextAttemptAt().isBefore(nextDue) ? row.nextAttemptAt() : nextDue;
                continue;
            }
            int attempt = row.attempts() + 1;
            if (attempt > settings.compensationMaxAttempts()) {
                store.markFailed(row.id(), JournalEntry.Status.FAILED, now(), "failed after " + row.attempts()
                        + " attempt(s), the last one failed or never finished (did the instance running it die?)", now());
                needsPerson = true;
                continue;
            }
            Command command;
            try {
                command = resolve(row);
            }
            catch (UnreadableCommandException unreadable) {
                store.park(row.id(), JournalEntry.Status.PARKED, "unreadable: " + unreadable.getMessage(), now());
                LOG.log(Level.ERROR, "Compensation " + row.id() + " '" + row.description() + "' parked: "
                        + unreadable.getMessage());
                needsPerson = true;
                continue;
            }
            store.startAttempt(row.id(), settings.instanceId(), leaseUntil(), now());
            try {
                IdempotencyKey.run(row.id(), command);
                store.markDone(List.of(row.id()), now());
            }
            catch (Exception | Error failure) {
                int attempts = attempt;
                if (attempts >= settings.compensationMaxAttempts()) {
                    store.markFailed(row.id(), JournalEntry.Status.FAILED, now(), "failed after " + attempts
                            + " attempt(s): " + describe(failure), now());
                    needsPerson = true;
                }
                else {
                    Instant next = now().plus(settings.delayAfter(attempts));
                    store.markFailed(row.id(), JournalEntry.Status.PENDING, next, describe(failure), now());
                    nextDue = nextDue == null || next.isBefore(nextDue) ? next : nextDue;
                }
            }
        }
        if (nextDue != null) {
            store.setUnitState(id, "ABORTED", nextDue, now());
        }
        else {
            store.setUnitState(id, needsPerson ? "FAILED" : "COMPENSATED", now(), now());
        }
    }

    // ================================================================== operations (T3, J3)

    /**
     * Puts a dead dispatch or a failed or parked compensation back to waiting, due now, with fresh attempts
     * (J3: re-triggerable).
     *
     * @param commandId the command's id
     * @return whether it was re-triggered
     */
    public boolean retrigger(String commandId) {
        return store.retrigger(commandId, now()) > 0;
    }

    /**
     * Settles a unit kept with an unknown outcome (T3) by its marker: if its business transaction committed it is
     * closed, otherwise the transaction is fenced off for good and the compensations run.
     *
     * @param unitId the unit's id, as logged
     * @return the unit's state afterwards
     */
    public @Nullable String resolveUnknown(String unitId) {
        if (!"UNKNOWN".equals(store.unitState(unitId))) {
            throw new IllegalStateException("Unit " + unitId + " is not waiting with an unknown outcome");
        }
        store.setUnitState(unitId, "ABORTED", now(), now());
        recoverUnit(unitId);
        return store.unitState(unitId);
    }

    /**
     * Marks a unit that needs a person ({@code FAILED}, or {@code UNKNOWN}) or a dead dispatch resolved: a person saw
     * to it (O1, T3). Nothing runs: the unit becomes {@code RESOLVED} and its compensations that did not run, like the
     * dispatch, take status {@link JournalEntry.Status#RESOLVED}, the person's note kept in front of their last error.
     *
     * @param id   a unit's id or a dispatch's id
     * @param note what the person said, or {@code null}
     * @return whether it needed a person and is now resolved; {@code false} when it is unknown or did not need one
     */
    public boolean markResolved(String id, @Nullable String note) {
        return closeByPerson(id, "RESOLVED", JournalEntry.Status.RESOLVED, "resolved by a person", note);
    }

    /**
     * Discards what a unit that needs a person ({@code FAILED}, or {@code UNKNOWN}) or a dead dispatch left undone: it
     * stays undone on purpose (O1, T3). Nothing runs: the unit becomes {@code ABANDONED} and its compensations that did
     * not run, like the dispatch, take status {@link JournalEntry.Status#DISCARDED}, the person's note kept in front
     * of their last error.
     *
     * @param id   a unit's id or a dispatch's id
     * @param note what the person said, or {@code null}
     * @return whether it needed a person and is now discarded; {@code false} when it is unknown or did not need one
     */
    public boolean markDiscarded(String id, @Nullable String note) {
        return closeByPerson(id, "ABANDONED", JournalEntry.Status.DISCARDED, "discarded by a person", note);
    }

    private boolean closeByPerson(String id, String unitState, String commandStatus, String action,
            @Nullable String note) {
        String text = note == null || note.isBlank() ? action : action + ": " + note;
        return store.closeUnitByPerson(id, unitState, commandStatus, text, now())
                || store.closeDispatchByPerson(id, commandStatus, text, now());
    }

    // ================================================================== in-memory bookkeeping

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
