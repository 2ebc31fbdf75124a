package io.github.compensation.spring.transaction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs an action with the thread's transaction state set aside and puts it back afterwards, the thread-bound half of
 * what a transaction manager does when it suspends a transaction.
 *
 * <p>This matters most inside {@code afterCompletion}: Spring still has the finished transaction's connection (or
 * {@code EntityManager}) bound to the thread there, so a write made by a command would join a transaction that will
 * never commit again and be lost without a word. With the state set aside, a {@code JdbcTemplate} call gets a fresh
 * auto-commit connection, and a transactional repository starts and commits a transaction of its own.
 */
public final class SuspendedTransactionState {

    private SuspendedTransactionState() {
    }

    static void runSuspended(Runnable action) {
        try {
            callSuspended(() -> {
                action.run();
                return null;
            });
        }
        catch (RuntimeException | Error unchecked) {
            throw unchecked;
        }
        catch (Throwable checked) {
            throw new IllegalStateException(checked);
        }
    }

    /**
     * Calls the action with the thread's transaction state set aside, and puts it back afterwards, whatever happens.
     *
     * @param action the work
     * @param <T>    what it returns
     * @return what the action returned
     * @throws Throwable what the action threw, unchanged
     */
    public static <T> @Nullable T callSuspended(SuspendableCall<T> action) throws Throwable {
        boolean synchronizationActive = TransactionSynchronizationManager.isSynchronizationActive();
        Map<Object, Object> resources = TransactionSynchronizationManager.getResourceMap();
        boolean transactionActive = TransactionSynchronizationManager.isActualTransactionActive();
        if (!synchronizationActive && resources.isEmpty() && !transactionActive) {
            return action.call();
        }
        Map<Object, Object> suspendedResources = new LinkedHashMap<>(resources);
        List<TransactionSynchronization> synchronizations = synchronizationActive
                ? TransactionSynchronizationManager.getSynchronizations() : List.of();
        String name = TransactionSynchronizationManager.getCurrentTransactionName();
        boolean readOnly = TransactionSynchronizationManager.isCurrentTransactionReadOnly();
        Integer isolation = TransactionSynchronizationManager.getCurrentTransactionIsolationLevel();

        suspendedResources.keySet().forEach(TransactionSynchronizationManager::unbindResourceIfPossible);
        if (synchronizationActive) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.setCurrentTransactionName(null);
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(false);
        TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(null);
        TransactionSynchronizationManager.setActualTransactionActive(false);
        try {
            return action.call();
        }
        finally {
            restore(suspendedResources, synchronizationActive, synchronizations, name, readOnly, isolation,
                    transactionActive);
        }
    }

    /**
     * Work run with the transaction state set aside.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface SuspendableCall<T> {

        /**
         * Does the work.
         *
         * @return the result
         * @throws Throwable whatever the work throws
         */
        @Nullable T call() throws Throwable;
    }

    private static void restore(Map<Object, Object> resources, boolean synchronizationActive,
            List<TransactionSynchronization> synchronizations, @Nullable String name, boolean readOnly,
            @Nullable Integer isolation, boolean transactionActive) {
        resources.forEach((key, value) -> {
            TransactionSynchronizationManager.unbindResourceIfPossible(key);
            TransactionSynchronizationManager.bindResource(key, value);
        });
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        if (synchronizationActive) {
            TransactionSynchronizationManager.initSynchronization();
            synchronizations.forEach(TransactionSynchronizationManager::registerSynchronization);
        }
        TransactionSynchronizationManager.setCurrentTransactionName(name);
        TransactionSynchronizationManager.setCurrentTransactionReadOnly(readOnly);
        TransactionSynchronizationManager.setCurrentTransactionIsolationLevel(isolation);
        TransactionSynchronizationManager.setActualTransactionActive(transactionActive);
    }
}
