package io.github.compensation;

import io.github.compensation.CompensationScope.Entry;
import io.github.compensation.CompensationScope.Snapshot;
import io.github.compensation.report.CommandKind;
import io.github.compensation.report.CommandReport;
import io.github.compensation.report.CommandStatus;
import io.github.compensation.report.LoggingScopeListener;
import io.github.compensation.report.ScopeReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
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

    private static final System.Logger LOG = System.getLogger(CompensationTemplate.class.getName());

    private final TransactionBridge transactions;
    private final CommandRunner runner;
    private final RetrySpec defaultRetry;
    private final DispatchFailurePolicy dispatchFailurePolicy;
    private final UnknownOutcomePolicy unknownOutcomePolicy;
    private final List<ScopeListener> listeners;

    private CompensationTemplate(Builder builder) {
        this.transactions = builder.transactions;
        this.runner = builder.runner;
        this.defaultRetry = builder.defaultRetry;
        this.dispatchFailurePolicy = builder.dispatchFailurePolicy;
        this.unknownOutcomePolicy = builder.unknownOutcomePolicy;
        this.listeners = List.copyOf(builder.listeners);
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
     */
    public <T extends @Nullable Object, X extends Throwable> T execute(ScopeDefinition definition,
            ScopeCallback<T, X> callback) throws X {
        Objects.requireNonNull(definition, "definition must not be null");
        Objects.requireNonNull(callback, "callback must not be null");
        CompensationScope enclosing = ScopeHolder.current();
        CompensationScope scope = new CompensationScope(definition, enclosing);
        ScopeHolder.bind(scope);
        opened(scope);
        ScopeReport[] settled = new ScopeReport[1];
        try {
            T result;
            try {
                result = callback.doInScope();
            }
            catch (Throwable failure) {
                ScopeHolder.restore(enclosing);
                try {
                    settled[0] = failed(scope, failure);
                }
                catch (Throwable unexpected) {
                    if (unexpected != failure) {
                        failure.addSuppressed(unexpected);
                    }
                }
                throw Compensations.<X>sneaky(failure);
            }
            finally {
                ScopeHolder.restore(enclosing);
            }
            returned(scope, settled);
            return result;
        }
        finally {
            closed(scope, settled[0]);
        }
    }

    private void opened(CompensationScope scope) {
        for (ScopeListener listener : listeners) {
            try {
                listener.scopeOpened(scope);
            }
            catch (Throwable failure) {
                LOG.log(Level.WARNING, "Scope listener " + listener + " failed when scope " + scope.id() + " opened",
                        failure);
            }
        }
    }

    private void closed(CompensationScope scope, @Nullable ScopeReport report) {
        for (int i = listeners.size() - 1; i >= 0; i--) {
            ScopeListener listener = listeners.get(i);
            try {
                listener.scopeClosed(scope, report);
            }
            catch (Throwable failure) {
                LOG.log(Level.WARNING, "Scope listener " + listener + " failed when scope " + scope.id() + " closed",
                        failure);
            }
        }
    }

    private ScopeReport failed(CompensationScope scope, Throwable failure) {
        if (scope.definition().rules().triggersRollback(failure)) {
            ScopeReport report = settle(scope, Outcome.ROLLED_BACK, failure);
            for (CommandReport command : report.commands()) {
                Throwable error = command.error();
                if (command.status() == CommandStatus.FAILED && error != null && error != failure) {
                    failure.addSuppressed(error);
                }
            }
            return report;
        }
        else if (scope.parent() != null) {
            List<Entry> dropped = scope.queuedDispatches();
            scope.joinParent(false);
            ScopeReport report = reportOf(scope, Outcome.FAILED_NO_ROLLBACK, failure, notRun(dropped,
                    CommandStatus.DISCARDED, "the scope failed without rollback"));
            publish(report, null);
            return report;
        }
        else {
            return settle(scope, Outcome.FAILED_NO_ROLLBACK, failure);
        }
    }

    private void returned(CompensationScope scope, ScopeReport[] settled) {
        if (scope.parent() != null) {
            scope.joinParent(true);
            return;
        }
        scope.await();
        if (transactions.settleOnCompletion(outcome -> settleLater(scope, outcome))) {
            return;
        }
        ScopeReport report = settle(scope, Outcome.COMMITTED, null);
        settled[0] = report;
        if (dispatchFailurePolicy == DispatchFailurePolicy.PROPAGATE && failedDispatches(report) > 0) {
            DispatchFailedException exception = new DispatchFailedException(report);
            report.commands().stream()
                    .filter(command -> command.kind() == CommandKind.DISPATCH && command.error() != null)
                    .forEach(command -> exception.addSuppressed(command.error()));
            throw exception;
        }
    }

    private void settleLater(CompensationScope scope, Outcome outcome) {
        try {
            settle(scope, outcome, null);
        }
        catch (Throwable unexpected) {
            LOG.log(Level.ERROR, "Settling scope " + scope.id() + " " + scope.name() + " as " + outcome
                    + " failed unexpectedly", unexpected);
        }
    }

    private static long failedDispatches(ScopeReport report) {
        return report.commands().stream()
                .filter(command -> command.kind() == CommandKind.DISPATCH && command.status() == CommandStatus.FAILED)
                .count();
    }

    /** Runs what the outcome calls for, detached from the finished transaction, and publishes the report. */
    ScopeReport settle(CompensationScope scope, Outcome outcome, @Nullable Throwable cause) {
        Snapshot snapshot = scope.beginSettling();
        int size = snapshot.rollbackEntries().size() + snapshot.dispatchEntries().size();
        List<CommandReport> results = new ArrayList<>(size);
        List<@Nullable Entry> sources = new ArrayList<>(size);
        RetrySpec retry = scope.definition().retry() != null ? scope.definition().retry() : defaultRetry;
        CompensationScope previous = ScopeHolder.bind(scope);
        try {
            if (!snapshot.rollbackEntries().isEmpty() || !snapshot.dispatchEntries().isEmpty()) {
                transactions.runDetached(() -> runCommands(scope, outcome, snapshot, retry, results, sources));
            }
        }
        finally {
            ScopeHolder.restore(previous);
            for (CommandReport discarded : scope.endSettling()) {
                results.add(discarded);
                sources.add(null);
            }
        }
        ScopeReport report = reportOf(scope, outcome, cause, results);
        publish(report, SettledCommands.of(this, scope, retry, report, sources));
        return report;
    }

    private void runCommands(CompensationScope scope, Outcome outcome, Snapshot snapshot, RetrySpec retry,
            List<CommandReport> results, List<@Nullable Entry> sources) {
        boolean compensate = outcome == Outcome.ROLLED_BACK
                || (outcome == Outcome.UNKNOWN && unknownOutcomePolicy == UnknownOutcomePolicy.COMPENSATE);
        for (Entry entry : snapshot.rollbackEntries()) {
            CommandReport result;
            if (entry.kind == CommandKind.CLEANUP || compensate) {
                result = run(scope, entry, retry);
            }
            else if (outcome == Outcome.UNKNOWN) {
                result = CommandReport.notRun(entry.kind, entry.description, CommandStatus.PENDING,
                        "outcome unknown: check the remote side and resolve by hand");
            }
            else {
                result = CommandReport.notRun(entry.kind, entry.description, CommandStatus.DISCARDED,
                        outcome == Outcome.COMMITTED ? "not needed: committed" : "the scope failed without rollback");
            }
            results.add(result);
            sources.add(entry);
        }
        String notCommitted = "not committed: " + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        for (Entry entry : snapshot.dispatchEntries()) {
            results.add(outcome == Outcome.COMMITTED ? run(scope, entry, retry)
                    : CommandReport.notRun(entry.kind, entry.description, CommandStatus.DISCARDED, notCommitted));
            sources.add(entry);
        }
    }

    private CommandReport run(CompensationScope scope, Entry entry, RetrySpec retry) {
        long start = System.nanoTime();
        CommandRunner.Attempts attempts = runner.run(entry.command, retry);
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        Throwable failure = attempts.failure();
        if (failure == null) {
            return new CommandReport(entry.kind, entry.description, CommandStatus.DONE, attempts.count(),
                    retry.maxAttempts(), duration, null, null);
        }
        LOG.log(Level.ERROR, () -> entry.kind.name().toLowerCase(java.util.Locale.ROOT) + " command '"
                + entry.description + "' of scope " + scope.id() + " " + scope.name() + " failed after "
                + attempts.count() + " attempt(s)", failure);
        return new CommandReport(entry.kind, entry.description, CommandStatus.FAILED, attempts.count(),
                retry.maxAttempts(), duration, failure, null);
    }

    private static List<CommandReport> notRun(List<Entry> entries, CommandStatus status, String note) {
        List<CommandReport> reports = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            reports.add(CommandReport.notRun(entry.kind, entry.description, status, note));
        }
        return reports;
    }

    private static ScopeReport reportOf(CompensationScope scope, Outcome outcome, @Nullable Throwable cause,
            List<CommandReport> commands) {
        return new ScopeReport(scope.id(), scope.name(), scope.startedAt(),
                Duration.ofNanos(System.nanoTime() - scope.startNanos()), outcome, cause, commands);
    }

    private void publish(ScopeReport report, @Nullable RetryHandle retry) {
        for (ScopeListener listener : listeners) {
            try {
                listener.scopeFinished(report, retry);
            }
            catch (Throwable failure) {
                LOG.log(Level.WARNING, "Scope listener " + listener + " failed on scope " + report.id(), failure);
            }
        }
    }

    /**
     * The failed and pending commands of a settled scope, kept for a person to retry (clause O1). Holds the commands
     * at their positions in the report; {@code null} where a report has no command behind it.
     */
    private static final class SettledCommands implements RetryHandle {

        private final CompensationTemplate template;
        private final CompensationScope scope;
        private final RetrySpec retry;
        private final List<@Nullable Entry> sources;
        private volatile ScopeReport report;

        private SettledCommands(CompensationTemplate template, CompensationScope scope, RetrySpec retry,
                ScopeReport report, List<@Nullable Entry> sources) {
            this.template = template;
            this.scope = scope;
            this.retry = retry;
            this.report = report;
            this.sources = sources;
        }

        static @Nullable RetryHandle of(CompensationTemplate template, CompensationScope scope, RetrySpec retry,
                ScopeReport report, List<@Nullable Entry> sources) {
            List<CommandReport> commands = report.commands();
            List<@Nullable Entry> kept = new ArrayList<>(commands.size());
            boolean work = false;
            for (int i = 0; i < commands.size(); i++) {
                Entry entry = i < sources.size() && commands.get(i).needsAttention() ? sources.get(i) : null;
                kept.add(entry);
                work |= entry != null;
            }
            return work ? new SettledCommands(template, scope, retry, report, Collections.unmodifiableList(kept))
                    : null;
        }

        @Override
        public ScopeReport report() {
            return report;
        }

        @Override
        public boolean hasWork() {
            List<CommandReport> commands = report.commands();
            for (int i = 0; i < commands.size() && i < sources.size(); i++) {
                if (sources.get(i) != null && commands.get(i).needsAttention()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public synchronized ScopeReport retry() {
            ScopeReport current = report;
            List<CommandReport> commands = new ArrayList<>(current.commands());
            CompensationScope previous = ScopeHolder.bind(scope);
            try {
                template.transactions.runDetached(() -> {
                    for (int i = 0; i < commands.size() && i < sources.size(); i++) {
                        Entry entry = sources.get(i);
                        if (entry != null && commands.get(i).needsAttention()) {
                            commands.set(i, template.run(scope, entry, retry));
                        }
                    }
                });
            }
            finally {
                ScopeHolder.restore(previous);
            }
            ScopeReport next = new ScopeReport(current.id(), current.name(), current.startedAt(), current.duration(),
                    current.outcome(), current.cause(), commands);
            report = next;
            return next;
        }

        @Override
        public String toString() {
            return "RetryHandle[" + report.id() + " " + report.name() + "]";
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
        private UnknownOutcomePolicy unknownOutcomePolicy = UnknownOutcomePolicy.REPORT;
        private final List<ScopeListener> listeners = new ArrayList<>(List.of(new LoggingScopeListener()));

        private Builder() {
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
         * Builds the template.
         *
         * @return a new template
         */
        public CompensationTemplate build() {
            return new CompensationTemplate(this);
        }
    }
}
