package io.github.compensation.spring.transaction;

import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizer;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * Makes an auto-configured transaction manager roll back when its commit fails. Without it, a commit that throws (for
 * example on a deferred constraint) is reported to synchronizations as {@code STATUS_UNKNOWN}; with it, the manager
 * rolls back and reports {@code STATUS_ROLLED_BACK}, so the scopes tied to that transaction compensate (clause T2)
 * instead of waiting for a person (T3). Applied only to transaction managers that Spring Boot configures.
 */
public class RollbackOnCommitFailureCustomizer
        implements TransactionManagerCustomizer<AbstractPlatformTransactionManager> {

    @Override
    public void customize(AbstractPlatformTransactionManager transactionManager) {
        transactionManager.setRollbackOnCommitFailure(true);
    }
}
