package io.github.compensation.test;

import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Applies armed commit faults to {@code commit} calls on a transaction manager. Only the commit of a transaction that
 * the call actually ends (a new transaction, not rolled back already) takes a fault; participating commits pass.
 */
final class CommitFaultInterceptor implements MethodInterceptor {

    private final CompensationFaults faults;

    CommitFaultInterceptor(CompensationFaults faults) {
        this.faults = faults;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object[] arguments = invocation.getArguments();
        if (!invocation.getMethod().getName().equals("commit") || arguments.length != 1
                || !(arguments[0] instanceof TransactionStatus status) || !status.isNewTransaction()
                || status.isCompleted() || status.isRollbackOnly()) {
            return invocation.proceed();
        }
        CompensationFaults.CommitFault fault = faults.takeCommitFault();
        if (fault == null) {
            return invocation.proceed();
        }
        if (!(invocation.getThis() instanceof PlatformTransactionManager target)) {
            return invocation.proceed();
        }
        switch (fault) {
            case FAIL -> {
                target.rollback(status);
                throw new TransactionSystemException("Commit failed: provoked by compensation-test"
                        + " (the transaction was rolled back)", new ProvokedFailure("failNextCommit()"));
            }
            case UNKNOWN -> {
                rollBackReportingUnknown(target, status);
                throw new TransactionSystemException("Commit outcome unknown: provoked by compensation-test"
                        + " (the transaction was rolled back, its synchronizations were told the outcome is unknown)",
                        new ProvokedFailure("nextCommitOutcomeUnknown()"));
            }
            case CRASH_AFTER_COMMIT -> {
                if (TransactionSynchronizationManager.isSynchronizationActive()) {
                    TransactionSynchronizationManager.registerSynchronization(new CrashAfterCommit(faults));
                }
                return invocation.proceed();
            }
        }
        return invocation.proceed();
    }

    /**
     * Rolls back with the synchronizations set aside, then tells them the outcome is unknown, as a transaction manager
     * does when a commit fails and it cannot tell what the database did.
     */
    private static void rollBackReportingUnknown(PlatformTransactionManager target, TransactionStatus status) {
        if (!(status instanceof DefaultTransactionStatus defaultStatus) || !defaultStatus.isNewSynchronization()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            target.rollback(status);
            return;
        }
        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationUtils.triggerBeforeCompletion();
        TransactionSynchronizationManager.clearSynchronization();
        TransactionSynchronizationManager.initSynchronization();
        try {
            target.rollback(status);
        }
        finally {
            TransactionSynchronizationUtils.invokeAfterCompletion(synchronizations,
                    TransactionSynchronization.STATUS_UNKNOWN);
        }
    }

    /** Makes the instance "die" once the transaction committed, before anyone else hears of it. */
    private record CrashAfterCommit(CompensationFaults faults) implements TransactionSynchronization {

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void afterCommit() {
            faults.crashNow();
        }
    }
}
