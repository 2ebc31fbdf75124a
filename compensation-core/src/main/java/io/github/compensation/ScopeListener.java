package io.github.compensation;

import io.github.compensation.report.ScopeReport;

/**
 * Receives the report of every scope that settled (clause H1): for logging, metrics, history or a journal.
 *
 * <p>Called on the thread that settled the scope, after its commands ran. An exception thrown by a listener is
 * logged and otherwise ignored: it never changes what the scope's caller sees.
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
