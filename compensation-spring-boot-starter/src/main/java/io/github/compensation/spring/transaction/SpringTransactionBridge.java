package io.github.compensation.spring.transaction;

import io.github.compensation.Outcome;
import io.github.compensation.spi.TransactionBridge;
import java.util.function.Consumer;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Ties scopes to Spring-managed transactions through {@link TransactionSynchronizationManager}, so it works with every
 * {@code PlatformTransactionManager} that supports synchronization (JDBC, JPA, JTA...).
 *
 * <p>A scope that returns normally while a transaction is active settles from that transaction's
 * {@code afterCompletion} callback (clause T2): committed, rolled back (also when the commit itself failed and the
 * manager rolled back), or unknown. Commands always run with the thread's transaction state suspended (clause D4), so
 * that database work inside a command runs in a transaction of its own instead of silently joining a finished one.
 *
 * <p>Stateless and thread-safe.
 */
public class SpringTransactionBridge implements TransactionBridge {

    /**
     * Synchronization (what a scope can wait on) or bound resources (what commands must be detached from); an actual
     * transaction without either gives a scope nothing to tie to and its commands nothing to join.
     */
    @Override
    public boolean hasTransactionState() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.getResourceMap().isEmpty();
    }

    @Override
    public boolean settleOnCompletion(Consumer<Outcome> settle) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        TransactionSynchronizationManager.registerSynchronization(new SettleOnCompletion(settle));
        return true;
    }

    @Override
    public void runDetached(Runnable action) {
        SuspendedTransactionState.runSuspended(action);
    }

    private record SettleOnCompletion(Consumer<Outcome> settle) implements TransactionSynchronization {

        @Override
        public void afterCompletion(int status) {
            settle.accept(switch (status) {
                case STATUS_COMMITTED -> Outcome.COMMITTED;
                case STATUS_ROLLED_BACK -> Outcome.ROLLED_BACK;
                default -> Outcome.UNKNOWN;
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
