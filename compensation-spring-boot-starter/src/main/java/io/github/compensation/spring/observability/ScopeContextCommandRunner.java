package io.github.compensation.spring.observability;

import io.github.compensation.Command;
import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.github.compensation.RetrySpec;
import io.github.compensation.CommandKind;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Decorates a {@link CommandRunner} so that every command runs with its scope's id in the MDC under
 * {@value ScopeContextListener#MDC_KEY} and, when it runs after its scope's call returned (from a transaction
 * completion callback, or when the stage the method returned completes), with the context captured by
 * {@link ScopeContextListener} for it (trace, observation) restored (clause O2). A command that runs during its
 * scope's call, on its thread, finds the scope's id already in the MDC and its context in place, and runs as it is.
 * It finds the scope through {@link Compensations#currentScope()}, which the template binds while it settles a scope.
 * The thread's MDC and context are put back as they were afterwards. Thread-safe.
 */
public class ScopeContextCommandRunner implements CommandRunner {

    private final CommandRunner delegate;

    /**
     * Creates the decorator.
     *
     * @param delegate what runs and retries the commands
     */
    public ScopeContextCommandRunner(CommandRunner delegate) {
        this.delegate = delegate;
    }

    @Override
    public Attempts run(Command command, RetrySpec retry) {
        return runInContext(command, retry, null, null);
    }

    @Override
    public Attempts run(Command command, RetrySpec retry, CommandKind kind, String description) {
        return runInContext(command, retry, kind, description);
    }

    private Attempts runInContext(Command command, RetrySpec retry, @Nullable CommandKind kind,
            @Nullable String description) {
        CompensationScope scope = Compensations.currentScope();
        if (scope == null) {
            return forward(command, retry, kind, description);
        }
        String previous = MDC.get(ScopeContextListener.MDC_KEY);
        String id = scope.id();
        boolean inCall = id.equals(previous);
        if (!inCall) {
            MDC.put(ScopeContextListener.MDC_KEY, id);
        }
        try {
            Object snapshot = inCall ? null : scope.getAttribute(ScopeContextListener.SNAPSHOT);
            if (snapshot == null) {
                return forward(command, retry, kind, description);
            }
            return ContextSnapshots.runIn(snapshot, () -> {
                MDC.put(ScopeContextListener.MDC_KEY, id);
                return forward(command, retry, kind, description);
            });
        }
        finally {
            // a command that runs while its own scope is open usually leaves the key as it found it: nothing to undo
            if (MDC.get(ScopeContextListener.MDC_KEY) != previous) {
                ScopeContextListener.restore(previous);
            }
        }
    }

    private Attempts forward(Command command, RetrySpec retry, @Nullable CommandKind kind,
            @Nullable String description) {
        return kind == null || description == null ? delegate.run(command, retry)
                : delegate.run(command, retry, kind, description);
    }

    /**
     * The runner this one decorates.
     *
     * @return the delegate
     */
    public CommandRunner getDelegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "ScopeContextCommandRunner[" + delegate + "]";
    }
}
