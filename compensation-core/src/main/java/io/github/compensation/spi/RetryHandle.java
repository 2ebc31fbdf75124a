package io.github.compensation.spi;

import io.github.compensation.ScopeReport;

/**
 * Runs the commands of a settled scope that failed or were left pending once more (clause O1), on request of a
 * person. The template hands one to {@link ScopeListener#scopeFinished(ScopeReport, RetryHandle)} when a scope
 * settles with such commands; whoever keeps the handle (an in-memory store of scopes needing attention) keeps the
 * commands themselves alive until the scope is retried, resolved or discarded.
 *
 * <p>Reports stay immutable data: a retry produces a new {@link ScopeReport} with the same id, it never changes the one
 * listeners received. Thread-safe: retries of the same scope run one after the other.
 */
public interface RetryHandle {

    /**
     * The latest report of the scope: the one it settled with, or the one its last {@link #retry()} produced.
     *
     * @return the report
     */
    ScopeReport report();

    /**
     * Whether the latest report still has a {@link io.github.compensation.CommandStatus#FAILED} or
     * {@link io.github.compensation.CommandStatus#PENDING} command that this handle can run.
     *
     * @return {@code true} while there is something to retry
     */
    boolean hasWork();

    /**
     * Runs every failed or pending command of {@link #report()} again, in the report's order (the rollback stack newest
     * first, then the dispatch queue oldest first), on the calling thread, with the retry settings the scope's commands
     * first ran with, detached from any transaction of the calling thread, and with the scope bound so that
     * {@code Compensations.currentScope()} returns it inside the commands. Each command that succeeds becomes
     * {@code DONE}; one that fails again stays {@code FAILED} with its new error and attempts. Commands that were done
     * or discarded are left as they were. Listeners are not called again: the caller receives the new report.
     *
     * @return the new report, with the same id, name, start, outcome and cause
     */
    ScopeReport retry();
}
