package io.github.compensation.support;

import io.github.compensation.CleanupFailedException;
import io.github.compensation.CleanupFailurePolicy;
import io.github.compensation.DispatchFailedException;
import io.github.compensation.DispatchFailurePolicy;
import io.github.compensation.Outcome;
import io.github.compensation.RetrySpec;
import io.github.compensation.ScopeCallback;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.ScopeFunction;
import io.github.compensation.UnknownOutcomePolicy;
import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spi.RetryHandle;
import io.github.compensation.spi.ScopeSavepoint;
import io.github.compensation.spi.ScopeExecutionListener;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.support.Scope.Entry;
import io.github.compensation.CommandKind;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import io.github.compensation.spi.CompensationScope;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs work inside a compensation scope: the programmatic entry point, used directly by code without annotations and
 * by the Spring advice behind {@link RollbackOnceFailed} and {@link DispatchAfterCommit}.
 *
 * <p>{@link #execute(ScopeDefinition, ScopeCallback)} opens a scope on the calling thread, runs the callback, and
 * settles the scope by its outcome: when the callback throws, compensations and cleanups run newest first and the very
 * exception is rethrown with compensation failures attached as suppressed (R1–R5); when it returns, the scope joins
 * the enclosing scope (N1), waits for the active transaction to complete (T2), or commits at once and runs its
 * dispatches (D1). The thread is left as it was found, whatever happens.
 *
 * <p>A template is immutable and thread-safe; build one with {@link #builder()}.
 */
public final class CompensationTemplate {

    /** The start of a command run that is not timed. */
    private static final long UNTIMED = Long.MIN_VALUE;

    private static final System.Logger LOG = System.getLogger(CompensationTemplate.class.getName());

    private final TransactionBridge transactions;
    private final CommandRunner runner;
    private final RetrySpec defaultRetry;
    private final DispatchFailurePolicy dispatchFailurePolicy;
    private final CleanupFailurePolicy cleanupFailurePolicy;
    private final boolean propagatesFailures;
    private final UnknownOutcomePolicy unknownOutcomePolicy;
    /** An array rather than a list, so that asking the listeners never needs an iterator. */
    private final ScopeListener[] listeners;
    private final ScopeExecutionListener[] openListeners;
    private final ScopeExecutionListener[] closeListeners;
    private final Executor parallelExecutor;

    private CompensationTemplate(Builder builder) {
        this.transactions = builder.transactions;
        this.runner = builder.runner;
        this.defaultRetry = builder.defaultRetry;
        this.dispatchFailurePolicy = builder.dispatchFailurePolicy;
        this.cleanupFailurePolicy = builder.cleanupFailurePolicy;
        this.propagatesFailures = dispatchFailurePolicy == DispatchFailurePolicy.PROPAGATE
                || cleanupFailurePolicy == CleanupFailurePolicy.PROPAGATE;
        this.unknownOutcomePolicy = builder.unknownOutcomePolicy;
        this.listeners = builder.listeners.toArray(ScopeListener[]::new);
        this.openListeners = builder.executionListeners.toArray(ScopeExecutionListener[]::new);
        List<ScopeExecutionListener> reversed = new ArrayList<>(builder.executionListeners);
        Collections.reverse(reversed);
        this.closeListeners = reversed.toArray(ScopeExecutionListener[]::new);
        this.parallelExecutor = builder.parallelExecutor;
    }

    /**
     * A template with no transactions, one attempt per command, failures logged, and reports logged through
     * {@link LoggingScopeListener}.
     */
    public CompensationTemplate() {
        this(builder());
    }

    /**
     * Starts a builder with the defaults of {@link #CompensationTemplate()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the callback in a scope named {@code name} that accepts both kinds of commands, with
     * {@link Propagation#REQUIRED} and every exception triggering the compensations.
     *
     * @param name     shown in reports
     * @param callback the work
     * @param <T>      what the work returns
     * @param <X>      what the work may throw
     * @return what the callback returned
     * @throws X the callback's own exception, unchanged
     */
    public <T extends @Nullable Object, X extends Throwable> T execute(String name, ScopeCallback<T, X> callback)
            throws X {
        return execute(ScopeDefinition.named(name), callback);
    }

    /**
     * Runs the callback in a scope.
     *
     * @param definition what the scope is
     * @param callback   the work
     * @param <T>        what the work returns
     * @param <X>        what the work may throw
     * @return what the callback returned
     * @throws X the callback's own exception, the very instance, with compensation failures attached as suppressed
     * @throws DispatchFailedException when the scope committed, dispatches failed, and the policy is
     *                                 {@link DispatchFailurePolicy#PROPAGATE}
     * @throws CleanupFailedException  when the scope committed, cleanups failed, and the policy is
     *                                 {@link CleanupFailurePolicy#PROPAGATE} (R9)
     */
    public <T extends @Nullable Object, X extends Throwable> T execute(ScopeDefinition definition,
            ScopeCallback<T, X> callback) throws X {
        Objects.requireNonNull(callback, "callback must not be null");
        return execute(definition, callback, ScopeCallback::doInScope);
    }

    /**
     * Runs work that takes an argument in a scope, as {@link #execute(ScopeDefinition, ScopeCallback)} does: for
     * callers that would otherwise make a callback object per call, such as an advice proceeding with the intercepted
     * invocation ({@code execute(definition, invocation, MethodInvocation::proceed)}).
     *
     * @param definition what the scope is
     * @param argument   handed to the work
     * @param work       the work
     * @param <A>        what the work takes
     * @param <T>        what the work returns
     * @param <X>        what the work may throw
     * @return what the work returned
     * @throws X the work's own exception, the very instance, with compensation failures attached as suppressed
     * @throws DispatchFailedException when the scope committed, dispatches failed, and the policy is
     *                                 {@link DispatchFailurePolicy#PROPAGATE}
     * @throws CleanupFailedException  when the scope committed, cleanups failed, and the policy is
     *                                 {@link CleanupFailurePolicy#PROPAGATE} (R9)
     */
    public <A, T extends @Nullable Object, X extends Throwable> T execute(ScopeDefinition definition, A argument,
            ScopeFunction<? super A, T, X> work) throws X {
        Objects.requireNonNull(definition, "definition must not be null");
        Objects.requireNonNull(work, "work must not be null");
        @Nullable Object[] slot = ScopeHolder.slot();
        Scope enclosing = (Scope) slot[0];
        Scope scope = new Scope(definition, enclosing);
        slot[0] = scope;
        Outcome settled = null;
        Throwable thrown = null;
        try {
            if (openListeners.length > 0) {
                opened(scope);
            }
            T result;
            try {
                result = work.apply(argument);
            }
            catch (Throwable failure) {
                thrown = failure;
                settled = failedKeepingCause(scope, failure);
                throw Compensations.<X>sneaky(failure);
            }
            settled = returned(scope);
            if (settled == Outcome.COMMITTED) {
                failIfCommittedFailed(scope);
            }
            return result;
        }
        finally {
            slot[0] = enclosing;
            if (closeListeners.length > 0) {
                closed(scope, settled, thrown);
            }
        }
    }

    /**
     * Runs work that returns a {@link CompletionStage} in a scope that settles when the stage completes, not when the
     * callback returns (clause A1). The scope is bound to the calling thread while the callback runs and unbound when
     * it returns; work the stage goes on with on other threads registers in the scope only when carried there
     * explicitly ({@link Compensations#wrap(Runnable)}, {@link Compensations#wrapSupplier}). When the stage fails
     * with an exception that triggers, the compensations run, newest first, before the returned future completes with
     * that very exception (compensation failures suppressed on it); when it completes normally, the dispatches run
     * first (D1). A scope that returned inside a transaction also waits for it: the dispatches run once it committed,
     * and a rollback of it rolls the scope back; the returned future then completes when the stage did, without
     * waiting for the transaction, so that code inside that transaction may wait for it.
     *
     * <p>When the callback throws instead of returning a stage, or returns {@code null}, the scope settles as
     * {@link #execute(ScopeDefinition, ScopeCallback)} would settle it.
     *
     * @param definition what the scope is
     * @param callback   the work, returning the stage to follow
     * @param <T>        what the stage yields
     * @param <X>        what the callback may throw
     * @return a future that completes like the stage, once the scope's commands ran; {@code null} when the callback
     *         returned {@code null}
     * @throws X the callback's own exception, when it threw rather than returning a stage
     */
    public <T extends @Nullable Object, X extends Throwable> @Nullable CompletableFuture<T> executeAsync(
            ScopeDefinition definition, ScopeCallback<? extends @Nullable CompletionStage<T>, X> callback) throws X {
        Objects.requireNonNull(definition, "definition must not be null");
        Objects.requireNonNull(callback, "callback must not be null");
        Scope enclosing = ScopeHolder.current();
        Scope scope = new Scope(definition, enclosing);
        ScopeHolder.restore(scope);
        Outcome settled = null;
        Throwable thrown = null;
        CompletionStage<T> stage;
        DeferredScope deferred;
        try {
            if (openListeners.length > 0) {
                opened(scope);
            }
            try {
                stage = callback.doInScope();
            }
            catch (Throwable failure) {
                thrown = failure;
                settled = failedKeepingCause(scope, failure);
                throw Compensations.<X>sneaky(failure);
            }
            if (stage == null) {
                settled = returned(scope);
                if (settled == Outcome.COMMITTED) {
                    failIfCommittedFailed(scope);
                }
                return null;
            }
            deferred = new DeferredScope(this, scope);
            deferred.tieToTransaction();
        }
        finally {
            ScopeHolder.restore(enclosing);
            if (closeListeners.length > 0) {
                closed(scope, settled, thrown);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> deferred.complete(value, error, result));
        return result;
    }

    /**
     * Opens a scope bound to no thread, for integrations that follow asynchronous work themselves (the Reactor module
     * keeps one per subscription in the subscriber's context, clause A2). Execution listeners are not called: they
     * hear calls that run on one thread.
     *
     * @param definition what the scope is
     * @param enclosing  the scope it nests in (N1), one this engine opened, or {@code null}
     * @return the scope, to be settled through its methods
     * @throws IllegalArgumentException when {@code enclosing} was not opened by this engine
     */
    public DeferredScope openDeferred(ScopeDefinition definition, @Nullable CompensationScope enclosing) {
        Objects.requireNonNull(definition, "definition must not be null");
        if (enclosing != null && !(enclosing instanceof Scope)) {
            throw new IllegalArgumentException("Only scopes opened by the compensation engine can enclose a scope, not "
                    + enclosing.getClass().getName());
        }
        return new DeferredScope(this, new Scope(definition, (Scope) enclosing));
    }

    TransactionBridge transactions() {
        return transactions;
    }

    /** Settles a scope bound to no thread: binds it to the calling thread while its commands run (E2). */
    void settleBound(Scope scope, Outcome outcome, @Nullable Throwable cause) {
        ScopeHolder.runIn(scope, () -> settle(scope, outcome, cause));
    }

    private void opened(Scope scope) {
        for (ScopeExecutionListener listener : openListeners) {
            try {
                listener.beforeScope(scope);
            }
            catch (Throwable failure) {
                LOG.log(Level.WARNING, "Scope listener " + listener + " failed when scope " + scope.id() + " opened",
                        failure);
            }
        }
    }

    private void closed(Scope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
        for (ScopeExecutionListener listener : closeListeners) {
            try {
                listener.afterScope(scope, outcome, failure);
            }
            catch (Throwable hookFailure) {
                LOG.log(Level.WARNING, "Scope listener " + listener + " failed when scope " + scope.id() + " closed",
                        hookFailure);
            }
        }
    }

    /**
     * {@link #failed(Scope, Throwable, boolean)} for the caller's path: an unexpected failure while settling is
     * attached to the callback's own exception, which the caller must still see unchanged (R4); the outcome is then
     * {@code null}.
     */
    private @Nullable Outcome failedKeepingCause(Scope scope, Throwable failure) {
        try {
            return failed(scope, failure, true);
        }
        catch (Throwable unexpected) {
            if (unexpected != failure) {
                failure.addSuppressed(unexpected);
            }
            return null;
        }
    }

    /**
     * Settles a scope whose work failed, and says how (R1-R5, N1): rolled back when the failure triggers its rollback
     * rules; otherwise handed to its parent while the parent is open, or settled on its own. Command failures are
     * attached to {@code failure} when the scope settles here.
     *
     * @param bound whether the scope is bound to the calling thread (a call that threw), or not (work that ended
     *              later, possibly on another thread: it is bound while its commands run)
     */
    Outcome failed(Scope scope, Throwable failure, boolean bound) {
        Outcome outcome = scope.definition().rules().triggersRollback(failure)
                ? Outcome.ROLLED_BACK : Outcome.FAILED_NO_ROLLBACK;
        if (outcome == Outcome.FAILED_NO_ROLLBACK && scope.parent() != null && scope.tryJoinParent(false)) {
            publish(scope, outcome, failure);
            return outcome;
        }
        if (bound) {
            settle(scope, outcome, failure);
        }
        else {
            settleBound(scope, outcome, failure);
        }
        suppressFailures(scope, failure);
        return outcome;
    }

    /**
     * Attaches every compensation and cleanup failure of a failed scope to the exception its caller sees (R4), in the
     * order the commands ran, so that the earliest failure comes first (R12).
     */
    private static void suppressFailures(Scope scope, Throwable failure) {
        for (Entry entry = scope.top(); entry != null; entry = entry.link) {
            Throwable error = entry.error();
            if (entry.status() == CommandStatus.FAILED && error != null && error != failure) {
                failure.addSuppressed(error);
            }
        }
    }

    /**
     * Settles, defers or hands over a scope whose callback returned; the scope is still bound to the thread. Returns
     * {@link Outcome#COMMITTED} when it settled at once, {@code null} when it joined its parent or waits for a
     * transaction.
     */
    private @Nullable Outcome returned(Scope scope) {
        if (scope.parent() != null) {
            scope.joinParent(true);
            return null;
        }
        boolean transactionState = transactions.hasTransactionState();
        if (transactionState && transactions.settleOnCompletion(outcome -> settleLater(scope, outcome))) {
            scope.await();
            return null;
        }
        settle(scope, Outcome.COMMITTED, null, transactionState);
        return Outcome.COMMITTED;
    }

    /**
     * Tells the caller of a committed scope that cleanups (R9) or dispatches (D3) failed, as far as the policies ask
     * for it; all commands have run by now.
     */
    void failIfCommittedFailed(Scope scope) {
        if (propagatesFailures && scope.failures() > 0) {
            failOnCommittedFailures(scope);
        }
    }

    private void failOnCommittedFailures(Scope scope) {
        List<Throwable> cleanups = cleanupFailurePolicy == CleanupFailurePolicy.PROPAGATE
                ? failuresOf(scope.top()) : List.of();
        List<Throwable> dispatches = dispatchFailurePolicy == DispatchFailurePolicy.PROPAGATE
                ? failuresOf(scope.head()) : List.of();
        if (cleanups.isEmpty() && dispatches.isEmpty()) {
            return;
        }
        ScopeReport published = scope.publishedReport();
        ScopeReport report = published != null ? published : report(scope, Outcome.COMMITTED, null);
        DispatchFailedException dispatchFailure = null;
        if (!dispatches.isEmpty()) {
            dispatchFailure = new DispatchFailedException(report);
            dispatches.forEach(dispatchFailure::addSuppressed);
        }
        if (cleanups.isEmpty()) {
            throw Objects.requireNonNull(dispatchFailure);
        }
        CleanupFailedException cleanupFailure = new CleanupFailedException(report);
        cleanups.forEach(cleanupFailure::addSuppressed);
        if (dispatchFailure != null) {
            cleanupFailure.addSuppressed(dispatchFailure);
        }
        throw cleanupFailure;
    }

    private static List<Throwable> failuresOf(@Nullable Entry first) {
        List<Throwable> failures = new ArrayList<>(2);
        for (Entry entry = first; entry != null; entry = entry.link) {
            Throwable error = entry.error();
            if (entry.status() == CommandStatus.FAILED && error != null) {
                failures.add(error);
            }
        }
        return failures;
    }

    private void settleLater(Scope scope, Outcome outcome) {
        try {
            settleBound(scope, outcome, null);
        }
        catch (Throwable unexpected) {
            LOG.log(Level.ERROR, "Settling scope " + scope.id() + " " + scope.name() + " as " + outcome
                    + " failed unexpectedly", unexpected);
        }
    }

    /**
     * Runs what the outcome calls for, detached from any transaction on the thread, and publishes the report. The
     * scope must be bound to the current thread, so that commands registering more commands reach it (E2).
     */
    private void settle(Scope scope, Outcome outcome, @Nullable Throwable cause) {
        settle(scope, outcome, cause, true);
    }

    /** As above; {@code transactionState} is {@code false} when the caller just found no transaction state. */
    private void settle(Scope scope, Outcome outcome, @Nullable Throwable cause, boolean transactionState) {
        if (!scope.beginSettling()) {
            return;
        }
        boolean reported = wantsReport(outcome);
        long end = UNTIMED;
        try {
            if (scope.hasCommands()) {
                if (transactionState) {
                    detached(() -> runCommands(scope, outcome, reported));
                }
                else {
                    end = runCommands(scope, outcome, reported);
                }
            }
        }
        finally {
            scope.endSettling();
        }
        if (reported || scope.needsAttention(outcome)) {
            publish(scope, outcome, cause, end);
        }
    }

    /**
     * Runs what the outcome calls for; times the commands when {@code timed}, and then returns when the last one
     * ended, which is also when the scope ended (one clock read fewer), else {@link #UNTIMED}.
     */
    private long runCommands(Scope scope, Outcome outcome, boolean timed) {
        boolean compensate = outcome == Outcome.ROLLED_BACK || outcome == Outcome.CANCELLED
                || (outcome == Outcome.UNKNOWN && unknownOutcomePolicy == UnknownOutcomePolicy.COMPENSATE);
        RetrySpec retry = retryOf(scope);
        long mark = timed ? System.nanoTime() : UNTIMED;
        Entry top = scope.top();
        if (compensate && scope.definition().parallel() && top != null && top.link != null) {
            runConcurrently(scope, retry);
            top = null;
            mark = UNTIMED;
        }
        for (Entry entry = top; entry != null; entry = entry.link) {
            if (entry.isWithdrawn()) {
                continue;
            }
            if (entry.kind() == CommandKind.CLEANUP || compensate) {
                mark = run(scope, entry, retry, mark);
            }
            else {
                entry.notRun(outcome == Outcome.UNKNOWN ? CommandStatus.PENDING : CommandStatus.DISCARDED);
            }
        }
        boolean dispatch = outcome == Outcome.COMMITTED;
        for (Entry entry = scope.head(); entry != null; entry = entry.link) {
            if (entry.isWithdrawn()) {
                continue;
            }
            if (dispatch) {
                mark = run(scope, entry, retry, mark);
            }
            else {
                entry.notRun(CommandStatus.DISCARDED);
            }
        }
        return mark;
    }

    /**
     * Runs the whole rollback stack at once on the parallel executor, each command with the scope bound to its thread
     * (E2), and waits for all of them (A3). Failures are counted afterwards on this thread, in stack order.
     */
    private void runConcurrently(Scope scope, RetrySpec retry) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Entry entry = scope.top(); entry != null; entry = entry.link) {
            if (entry.isWithdrawn()) {
                continue;
            }
            Entry command = entry;
            Runnable task = () -> ScopeHolder.runIn(scope, () -> attempt(scope, command, retry, System.nanoTime()));
            try {
                running.add(CompletableFuture.runAsync(task, parallelExecutor));
            }
            catch (RejectedExecutionException rejected) {
                task.run();
            }
        }
        boolean interrupted = false;
        for (CompletableFuture<Void> command : running) {
            while (true) {
                try {
                    command.get();
                    break;
                }
                catch (InterruptedException interrupt) {
                    interrupted = true;
                }
                catch (ExecutionException unexpected) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Entry entry = scope.top(); entry != null; entry = entry.link) {
            if (entry.status() == CommandStatus.FAILED) {
                scope.recordFailure();
            }
        }
    }

    /**
     * Marks where the rollback stack of the scope open on the calling thread stands, for a transaction savepoint
     * taken now (clause S1). Rolling back to the returned savepoint runs, at once and newest first, the compensations
     * registered in that scope since (scopes that joined it since included), and drops the dispatches queued since;
     * those registered before stay. Cleanups stay too: they run when the scope settles, whatever its outcome. The
     * compensations run detached from the transaction, like every command (D4); their failures are logged and
     * reported with the scope, not thrown.
     *
     * @return the savepoint, or {@code null} when no scope is open on the calling thread
     */
    public @Nullable ScopeSavepoint createSavepoint() {
        Scope scope = ScopeHolder.current();
        if (scope == null) {
            return null;
        }
        Set<Entry> mark = scope.savepointMark();
        return () -> rollBackTo(scope, mark);
    }

    private void rollBackTo(Scope scope, Set<Entry> mark) {
        List<Entry> compensations = scope.rolledBackTo(mark);
        if (compensations.isEmpty()) {
            return;
        }
        RetrySpec retry = retryOf(scope);
        Runnable work = () -> {
            long start = System.nanoTime();
            for (Entry entry : compensations) {
                start = run(scope, entry, retry, start);
            }
        };
        detached(work);
    }

    /** Runs {@code work} set apart from the thread's transaction state, when there is any (D4). */
    private void detached(Runnable work) {
        if (transactions.hasTransactionState()) {
            transactions.runDetached(work);
        }
        else {
            work.run();
        }
    }

    /** Runs one command that starts now, at {@code start}; returns when it ended, the start of the next one. */
    private long run(Scope scope, Entry entry, RetrySpec retry, long start) {
        long end = attempt(scope, entry, retry, start);
        if (entry.error() != null) {
            scope.recordFailure();
        }
        return end;
    }

    /** Runs one command, records and logs how it went, and returns when it ended; counts no failure. */
    private long attempt(Scope scope, Entry entry, RetrySpec retry, long start) {
        CommandRunner.Attempts attempts;
        try {
            attempts = runner.run(entry.command, retry, entry.kind(), entry.description);
        }
        catch (Throwable runnerFailure) {
            attempts = new CommandRunner.Attempts(1, runnerFailure);
        }
        long end = start == UNTIMED ? UNTIMED : System.nanoTime();
        entry.ran(attempts.count(), start == UNTIMED ? -1 : end - start, attempts.failure());
        Throwable failure = attempts.failure();
        if (failure != null) {
            int count = attempts.count();
            // the scope's report carries the failure; the stack trace is for those who ask for it
            LOG.log(Level.DEBUG, () -> entry.kind().name().toLowerCase(java.util.Locale.ROOT) + " command '"
                    + entry.description + "' of scope " + scope.id() + " " + scope.name() + " failed after "
                    + count + " attempt(s)", failure);
        }
        return end;
    }

    /**
     * Whether a listener wants the report of a scope settling this way with nothing failed: only then are its
     * commands timed. A clock read costs about as much as the rest of a small scope, and a scope nobody hears about
     * (a commit, with reports at DEBUG) needs none; one reported only because a command failed shows its commands
     * untimed (clause H1 keeps the status, attempts and error).
     */
    private boolean wantsReport(Outcome outcome) {
        for (ScopeListener listener : listeners) {
            try {
                if (listener.isInterestedIn(outcome, false)) {
                    return true;
                }
            }
            catch (Throwable failure) {
                return true;
            }
        }
        return false;
    }

    private RetrySpec retryOf(Scope scope) {
        RetrySpec retry = scope.definition().retry();
        return retry != null ? retry : defaultRetry;
    }

    private ScopeReport report(Scope scope, Outcome outcome, @Nullable Throwable cause) {
        return report(scope, outcome, cause, UNTIMED);
    }

    /** The scope's report; {@code end} is when it ended, on {@link System#nanoTime()}'s scale, or {@link #UNTIMED}. */
    private ScopeReport report(Scope scope, Outcome outcome, @Nullable Throwable cause, long end) {
        long now = end == UNTIMED ? System.nanoTime() : end;
        return new ScopeReport(scope.id(), scope.name(), WallClock.instantAt(scope.startNanos(), now),
                Duration.ofNanos(now - scope.startNanos()), outcome, cause,
                scope.commandReports(outcome, retryOf(scope).maxAttempts()));
    }

    /** Runs a settled scope's failed and pending commands once more (clause O1). */
    private void rerun(Scope scope) {
        RetrySpec retry = retryOf(scope);
        Runnable work = () -> {
            for (Entry entry = scope.top(); entry != null; entry = entry.link) {
                if (entry.needsAttention()) {
                    run(scope, entry, retry, System.nanoTime());
                }
            }
            for (Entry entry = scope.head(); entry != null; entry = entry.link) {
                if (entry.needsAttention()) {
                    run(scope, entry, retry, System.nanoTime());
                }
            }
        };
        ScopeHolder.runIn(scope, () -> detached(work));
    }

    /**
     * Hands the report to every listener that wants it, with a retry handle when commands failed or were left
     * pending; builds the report only if a listener wants it.
     */
    void publish(Scope scope, Outcome outcome, @Nullable Throwable cause) {
        publish(scope, outcome, cause, UNTIMED);
    }

    private void publish(Scope scope, Outcome outcome, @Nullable Throwable cause, long end) {
        boolean attention = scope.needsAttention(outcome);
        ScopeReport report = null;
        SettledScope handle = null;
        for (ScopeListener listener : listeners) {
            try {
                if (!listener.isInterestedIn(outcome, attention)) {
                    continue;
                }
                if (report == null) {
                    report = report(scope, outcome, cause, end);
                    if (propagatesFailures && scope.failures() > 0) {
                        scope.published(report);
                    }
                    handle = scope.hasWorkLeft() ? new SettledScope(this, scope, outcome, cause, report) : null;
                }
                listener.scopeFinished(report, handle);
            }
            catch (Throwable failure) {
                LOG.log(Level.WARNING, "Scope listener " + listener + " failed on scope " + scope.id(), failure);
            }
        }
    }

    /** The failed and pending commands of a settled scope, kept for a person to run again (clause O1). */
    private static final class SettledScope implements RetryHandle {

        private final CompensationTemplate template;
        private final Scope scope;
        private final Outcome outcome;
        private final @Nullable Throwable cause;
        private volatile ScopeReport report;

        SettledScope(CompensationTemplate template, Scope scope, Outcome outcome,
                @Nullable Throwable cause, ScopeReport report) {
            this.template = template;
            this.scope = scope;
            this.outcome = outcome;
            this.cause = cause;
            this.report = report;
        }

        @Override
        public ScopeReport report() {
            return report;
        }

        @Override
        public synchronized boolean hasWork() {
            return scope.hasWorkLeft();
        }

        @Override
        public synchronized ScopeReport retry() {
            template.rerun(scope);
            ScopeReport next = template.report(scope, outcome, cause);
            report = next;
            return next;
        }

        @Override
        public String toString() {
            return "RetryHandle[" + scope.id() + " " + scope.name() + "]";
        }
    }

    /**
     * Builds a {@link CompensationTemplate}. Not thread-safe; the template it builds is.
     */
    public static final class Builder {

        private TransactionBridge transactions = TransactionBridge.NONE;
        private CommandRunner runner = new SimpleCommandRunner();
        private RetrySpec defaultRetry = RetrySpec.ONCE;
        private DispatchFailurePolicy dispatchFailurePolicy = DispatchFailurePolicy.LOG;
        private CleanupFailurePolicy cleanupFailurePolicy = CleanupFailurePolicy.LOG;
        private UnknownOutcomePolicy unknownOutcomePolicy = UnknownOutcomePolicy.REPORT;
        private final List<ScopeListener> listeners = new ArrayList<>(List.of(new LoggingScopeListener()));
        private final List<ScopeExecutionListener> executionListeners = new ArrayList<>();
        private Executor parallelExecutor = Builder::startThread;

        private Builder() {
        }

        private static void startThread(Runnable task) {
            Thread thread = new Thread(task, "compensation-parallel");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Where the commands of a scope declared parallel run on a rollback (clause A3); by default a new daemon
         * thread per command. The scope waits for all of them, so an executor whose tasks queue behind each other
         * still works, only less concurrently.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder parallelExecutor(Executor executor) {
            this.parallelExecutor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * How the engine learns about transactions; {@link TransactionBridge#NONE} by default.
         *
         * @param transactions the bridge
         * @return this builder
         */
        public Builder transactionBridge(TransactionBridge transactions) {
            this.transactions = Objects.requireNonNull(transactions, "transactions must not be null");
            return this;
        }

        /**
         * What runs (and retries) each command; {@link SimpleCommandRunner} by default.
         *
         * @param runner the runner
         * @return this builder
         */
        public Builder commandRunner(CommandRunner runner) {
            this.runner = Objects.requireNonNull(runner, "runner must not be null");
            return this;
        }

        /**
         * Retry of failing commands for scopes whose definition has none; one attempt by default (R6).
         *
         * @param retry the retry
         * @return this builder
         */
        public Builder defaultRetry(RetrySpec retry) {
            this.defaultRetry = Objects.requireNonNull(retry, "retry must not be null");
            return this;
        }

        /**
         * What a failing dispatch does to the caller (D3); {@link DispatchFailurePolicy#LOG} by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder dispatchFailurePolicy(DispatchFailurePolicy policy) {
            this.dispatchFailurePolicy = Objects.requireNonNull(policy, "policy must not be null");
            return this;
        }

        /**
         * What a failing cleanup does to the caller of a scope that otherwise committed (R9);
         * {@link CleanupFailurePolicy#LOG} by default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder cleanupFailurePolicy(CleanupFailurePolicy policy) {
            this.cleanupFailurePolicy = Objects.requireNonNull(policy, "policy must not be null");
            return this;
        }

        /**
         * What an unknown transaction outcome does to compensations (T3); {@link UnknownOutcomePolicy#REPORT} by
         * default.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder unknownOutcomePolicy(UnknownOutcomePolicy policy) {
            this.unknownOutcomePolicy = Objects.requireNonNull(policy, "policy must not be null");
            return this;
        }

        /**
         * Adds a listener for scope reports.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ScopeListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * Replaces all listeners, the default logging listener included.
         *
         * @param listeners the listeners
         * @return this builder
         */
        public Builder listeners(List<? extends ScopeListener> listeners) {
            this.listeners.clear();
            listeners.forEach(this::listener);
            return this;
        }

        /**
         * Adds a listener that hears when scopes open and when their calls end. Opening hooks run in the order added,
         * closing hooks in the reverse order.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder executionListener(ScopeExecutionListener listener) {
            this.executionListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * Replaces all execution listeners.
         *
         * @param listeners the listeners
         * @return this builder
         */
        public Builder executionListeners(List<? extends ScopeExecutionListener> listeners) {
            this.executionListeners.clear();
            listeners.forEach(this::executionListener);
            return this;
        }

        /**
         * Builds the template.
         *
         * @return a new template
         */
        public CompensationTemplate build() {
            return new CompensationTemplate(this);
        }
    }
}
