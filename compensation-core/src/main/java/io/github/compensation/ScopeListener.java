package io.github.compensation;

import io.github.compensation.report.ScopeReport;
import org.jspecify.annotations.Nullable;

/**
 * Receives the report of every scope that settled (clause H1): for logging, metrics, history or a journal.
 *
 * <p>Called on the thread that settled the scope, after its commands ran. An exception thrown by a listener is
 * logged and otherwise ignored: it never changes what the scope's caller sees.
 *
 * <p>Besides the report, a listener may follow a scope's life on the caller's thread through
 * {@link #scopeOpened(CompensationScope)} and {@link #scopeClosed(CompensationScope, ScopeReport)}, to put diagnostic
 * context (MDC, tracing) around the scope's work, and may keep the {@link RetryHandle} of a scope that needs
 * attention through {@link #scopeFinished(ScopeReport, RetryHandle)}. The template calls {@code scopeOpened} in the
 * order of its listeners and {@code scopeClosed} in the reverse order, so that listeners nest.
 */
@FunctionalInterface
public interface ScopeListener {

    /**
     * Called once per settled scope.
     *
     * @param report the immutable report
     */
    void scopeFinished(ScopeReport report);

    /**
     * Called once per settled scope instead of {@link #scopeFinished(ScopeReport)}, with a handle to run its failed or
     * pending commands again. The default ignores the handle and calls {@link #scopeFinished(ScopeReport)}.
     *
     * @param report the immutable report
     * @param retry  a handle on the scope's failed or pending commands, or {@code null} when it has none
     */
    default void scopeFinished(ScopeReport report, @Nullable RetryHandle retry) {
        scopeFinished(report);
    }

    /**
     * Called on the caller's thread when a scope opens, with the scope bound to the thread, before the scope's work
     * runs. Capture here what should travel with the scope's commands, for example in a
     * {@linkplain CompensationScope#setAttribute(String, Object) scope attribute}. Does nothing by default.
     *
     * @param scope the scope that just opened
     */
    default void scopeOpened(CompensationScope scope) {
    }

    /**
     * Called on the caller's thread when the call that opened the scope is about to return or throw: after the scope's
     * work ended and, when the scope settled at once, after its commands ran and its report was published. A scope
     * whose fate depends on a transaction still running, or that joined an enclosing scope, settles later, possibly on
     * another thread. Does nothing by default.
     *
     * @param scope  the scope
     * @param report its report when it settled during the call, or {@code null} when it settles later or joined an
     *               enclosing scope
     */
    default void scopeClosed(CompensationScope scope, @Nullable ScopeReport report) {
    }
}
