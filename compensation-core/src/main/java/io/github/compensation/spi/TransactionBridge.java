package io.github.compensation.spi;

import io.github.compensation.Outcome;
import java.util.function.Consumer;

/**
 * What the engine needs to know about transactions, implemented by an integration such as the Spring starter. The
 * engine itself knows none; {@link #NONE} treats every scope as having no transaction.
 *
 * <p>Implementations are called on the scope's thread and must be thread-safe.
 */
public interface TransactionBridge {

    /** No transactions: a scope that returns normally is committed at once. */
    TransactionBridge NONE = new TransactionBridge() {
        @Override
        public boolean hasTransactionState() {
            return false;
        }

        @Override
        public boolean settleOnCompletion(Consumer<Outcome> settle) {
            return false;
        }

        @Override
        public void runDetached(Runnable action) {
            action.run();
        }
    };

    /**
     * Whether the current thread carries transaction state: an active transaction or synchronization, or bound
     * transactional resources. When it does not, the engine neither asks {@link #settleOnCompletion(Consumer)} nor
     * goes through {@link #runDetached(Runnable)}, which keeps the common path free of allocation. The default,
     * {@code true}, is always correct.
     *
     * @return {@code false} only when there is certainly nothing to wait for or to detach from
     */
    default boolean hasTransactionState() {
        return true;
    }

    /**
     * Called when a scope returned normally. When a transaction is active on the current thread, arranges for
     * {@code settle} to be called once, with {@link Outcome#COMMITTED}, {@link Outcome#ROLLED_BACK} or
     * {@link Outcome#UNKNOWN}, after that transaction completed, and returns {@code true}. Otherwise returns
     * {@code false} and the engine settles the scope as committed at once.
     *
     * @param settle what to call on completion
     * @return whether the scope's fate was tied to a transaction
     */
    boolean settleOnCompletion(Consumer<Outcome> settle);

    /**
     * Runs commands detached from any transaction bound to the current thread, so that database work done inside a
     * command is committed on its own (clause D4).
     *
     * @param action what to run; its exceptions propagate
     */
    void runDetached(Runnable action);
}
