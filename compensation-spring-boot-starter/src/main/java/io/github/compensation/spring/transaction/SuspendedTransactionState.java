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
final class SuspendedTransactionState {

    private SuspendedTransactionState() {
    }

    static void runSuspended(Runnable action) {
        boolean synchronizationActive = TransactionSynchronizationManager.isSynchronizationActive();
        Map<Object, Object> resources = TransactionSynchronizationManager.getResourceMap();
        boolean transactionActive = TransactionSynchronizationManager.isActualTransactionActive();
        if (!synchronizationActive && resources.isEmpty() && !transactionActive) {
            action.run();
            return;
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
            action.run();
        }
        finally {
            restore(suspendedResources, synchronizationActive, synchronizations, name, readOnly, isolation,
                    transactionActive);
        }
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
