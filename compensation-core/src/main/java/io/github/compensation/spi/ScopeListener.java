package io.github.compensation.spi;

import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import org.jspecify.annotations.Nullable;

/**
 * Receives the report of every scope that settled (clause H1), for logging, metrics, history or a journal.
 *
 * <p>Called on the thread that settled the scope. An exception thrown by a listener is logged and otherwise ignored:
 * it never changes what the scope's caller sees. To hear when a scope opens and when its call ends, implement
 * {@link ScopeExecutionListener} as well.
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
}
