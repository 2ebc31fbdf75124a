package io.github.compensation.journal;

import io.github.compensation.ScopeReport;
import io.github.compensation.spi.ScopeListener;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

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
 * <p>It is a front for four parts, each in a class of its own: {@link WriteAheadRegistration} (what running scopes
 * register, and how they ended), {@link OutboxDelivery}, {@link Recovery} and {@link OperatorActions}; they reach the
 * database only through the {@link JournalRepository} (JDBC: {@link JournalStore}).
 *
 * <p>Thread-safe.
 */
public class Journal implements ScopeListener {

    private final JournalContext context;
    private final WriteAheadRegistration registration;
    private final OutboxDelivery delivery;
    private final Recovery recovery;
    private final OperatorActions operations;
    private final SettlementBatch settlements;

    /**
     * @param store    the persistence
     * @param resolver reads stored calls back
     * @param settings the settings
     * @param clock    the clock for leases and back-off
     */
    public Journal(JournalRepository store, CommandResolver resolver, JournalSettings settings, Clock clock) {
        this.context = new JournalContext(store, resolver, settings, clock);
        this.settlements = new SettlementBatch(context);
        this.registration = new WriteAheadRegistration(context, settlements);
        this.delivery = new OutboxDelivery(context);
        this.recovery = new Recovery(context);
        this.operations = new OperatorActions(context, recovery);
    }

    /** @return the persistence, for operations and tests */
    public JournalRepository store() {
        return context.store;
    }

    /** @return the settings */
    public JournalSettings settings() {
        return context.settings;
    }

    CommandResolver resolver() {
        return context.resolver;
    }

    WriteAheadRegistration registration() {
        return registration;
    }

    OutboxDelivery delivery() {
        return delivery;
    }

    /**
     * Records how a scope ended. For a committed one, what it delivered right after commit is marked done, and its
     * units closed, by the worker for many scopes in one write (while no worker runs, at once). Should that write be
     * lost, nothing is: the deliveries are repeated once their claims expire (at least once, J4) and recovery closes
     * the units by their markers.
     */
    @Override
    public void scopeFinished(ScopeReport report) {
        registration.scopeFinished(report);
    }

    /**
     * Renews the leases of this instance's open units, so that no other instance recovers a scope still running
     * here, and its claims on outbox rows that an inner transaction committed while their scope still runs, so that
     * no worker delivers them before that scope's outcome is known. Called by the worker at every poll.
     *
     * @return units renewed
     */
    public int renewLeases() {
        return registration.renewLeases();
    }

    /**
     * Writes what committed scopes left for the worker: their deliveries' completion and their units' settlement, in
     * one write. Called by the worker at every poll; a test calls it to see the settled rows at once. Returns once
     * everything left before the call is written, or the write failed (logged: recovery and redelivery make up for it).
     *
     * @return entries written
     */
    public int flushSettlements() {
        return settlements.flush();
    }

    /**
     * Whether committed scopes leave their settlement to the worker ({@code true} while one runs for this journal) or
     * write it at once.
     *
     * @param background the mode
     */
    void settleInBackground(boolean background) {
        settlements.inBackground(background, null);
    }

    /**
     * Leaves committed scopes' settlement to the worker, which also takes a write at once, on {@code writer}, when
     * many are waiting before its next poll.
     *
     * @param writer the worker's threads
     */
    void settleInBackground(Executor writer) {
        settlements.inBackground(true, writer);
    }

    /**
     * Forgets one scope's open units and held dispatches without settling them, as if this instance had died while
     * that scope was about to settle: recovery finds them once their leases expire. For tests; the compensation-test
     * module uses it to simulate a crash right after commit.
     *
     * @param scopeId the id of the scope that settles the units (its outermost scope)
     */
    public void forgetScope(String scopeId) {
        registration.forgetScope(scopeId);
    }

    /**
     * A journal over the same repository and command resolver, as another instance would run it: with its own
     * instance id and clock. For tests that recover, in the same JVM, what this instance left behind; a clock set past
     * the lease makes every claim of this instance look expired.
     *
     * @param instanceId the other instance's id
     * @param clock      the other instance's clock
     * @return a new journal; this one is unchanged
     */
    public Journal asInstance(String instanceId, Clock clock) {
        return new Journal(context.store, context.resolver, context.settings.withInstanceId(instanceId), clock);
    }

    /**
     * Claims one batch of due dispatches (skipping rows other instances hold, taking over expired leases) and runs
     * them.
     *
     * @return how many were claimed; {@code 0} when nothing is due
     */
    public int dispatchDue() {
        return delivery.dispatchDue();
    }

    /**
     * Claims units whose lease expired (their instance died, or recovery is waiting to retry) and settles each: a
     * committed one is closed without compensating, any other is compensated newest first.
     *
     * @return how many units were claimed
     */
    public int recoverDue() {
        return recovery.recoverDue();
    }

    /**
     * Puts a dead dispatch or a failed or parked compensation back to waiting, due now, with fresh attempts
     * (J3: re-triggerable).
     *
     * @param commandId the command's id
     * @return whether it was re-triggered
     */
    public boolean retrigger(String commandId) {
        return operations.retrigger(commandId);
    }

    /**
     * Settles a unit kept with an unknown outcome (T3) by its marker: if its business transaction committed it is
     * closed, otherwise the transaction is fenced off for good and the compensations run.
     *
     * @param unitId the unit's id, as logged
     * @return the unit's state afterwards
     */
    public JournalUnit.@Nullable State resolveUnknown(String unitId) {
        return operations.resolveUnknown(unitId);
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
        return operations.markResolved(id, note);
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
        return operations.markDiscarded(id, note);
    }
}
