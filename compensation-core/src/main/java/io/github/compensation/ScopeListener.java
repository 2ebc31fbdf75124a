package io.github.compensation;

import io.github.compensation.report.ScopeReport;
import org.jspecify.annotations.Nullable;

/**
 * Follows scopes: receives the report of every scope that settled (clause H1), for logging, metrics, history or a
 * journal, and optionally hears when a scope opens and when the call that opened it ends.
 *
 * <p>Called on the thread that settled (or opened) the scope. An exception thrown by a listener is logged and
 * otherwise ignored: it never changes what the scope's caller sees. The engine looks once, when the template is built,
 * at which of {@link #scopeOpened} and {@link #scopeClosed} a listener overrides, and calls only those.
 */
@FunctionalInterface
public interface ScopeListener {

    /**
     * Called once per settled scope that this listener is {@linkplain #isInterestedIn interested in}.
     *
     * @param report the immutable report
     */
    void scopeFinished(ScopeReport report);

    /**
     * Called instead of {@link #scopeFinished(ScopeReport)}, with a handle to run the scope's failed or pending
     * commands again. The default ignores the handle and calls {@link #scopeFinished(ScopeReport)}.
     *
     * @param report the immutable report
     * @param retry  a handle on the scope's failed or pending commands, or {@code null} when it has none
     */
    default void scopeFinished(ScopeReport report, @Nullable RetryHandle retry) {
        scopeFinished(report);
    }

    /**
     * Whether this listener wants the report of a scope that ended this way. The engine builds a report only when at
     * least one listener wants it, which keeps the common path (a committed scope nobody logs) free of allocation.
     *
     * @param outcome        how the scope ended
     * @param needsAttention whether a command failed or compensations were left pending
     * @return {@code true} (the default) to receive the report
     */
    default boolean isInterestedIn(Outcome outcome, boolean needsAttention) {
        return true;
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
     * work ended and, when the scope settled at once, after its commands ran and its report was published. Listeners
     * are called in the reverse of their order here, so that what {@link #scopeOpened} set up unwinds like a stack. A
     * scope whose fate depends on a transaction still running, or that joined an enclosing scope, settles later,
     * possibly on another thread. Does nothing by default.
     *
     * @param scope   the scope
     * @param outcome how it settled during the call, or {@code null} when it settles later or joined an enclosing scope
     * @param failure what the scope's work threw, or {@code null}
     */
    default void scopeClosed(CompensationScope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
    }
}
