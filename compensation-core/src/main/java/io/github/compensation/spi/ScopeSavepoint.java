package io.github.compensation.spi;

/**
 * A mark in a scope's rollback stack taken when a transaction savepoint was created (clause S1), obtained from the
 * engine by a transaction integration and used when the transaction rolls back to that savepoint.
 *
 * <p>Thread-safe. Rolling back after the scope ended does nothing.
 */
@FunctionalInterface
public interface ScopeSavepoint {

    /**
     * Runs, newest first, the compensations registered in the scope since the mark and drops the dispatches queued
     * since; those registered before stay. Failures are logged and recorded in the scope's report, never thrown.
     */
    void rollback();
}
