package io.github.compensation.spring.transaction;

import io.github.compensation.spi.ScopeSavepoint;
import io.github.compensation.support.CompensationTemplate;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Follows the savepoints of nested transactions ({@code Propagation.NESTED}) for the scope open on the thread (clause
 * S1): when a nested transaction begins, it marks where the scope's rollback stack stands; when that nested transaction
 * rolls back to its savepoint, the compensations registered since the mark run at once, newest first, after the
 * database rolled back, and the dispatches queued since are dropped. When it commits (the savepoint is released), the
 * mark is forgotten and the commands stay with the scope.
 *
 * <p>Spring Boot adds every {@link TransactionExecutionListener} bean to the transaction managers it configures; a
 * transaction manager defined by the application needs {@code addListener(...)}. Savepoints created by hand through
 * {@code TransactionStatus.createSavepoint()} are not followed: Spring tells execution listeners only about nested
 * transactions. Marks are kept per thread, where Spring runs a transaction's callbacks. Thread-safe.
 */
public class SavepointCompensationListener implements TransactionExecutionListener {

    private static final ThreadLocal<@Nullable Map<TransactionExecution, ScopeSavepoint>> MARKS = new ThreadLocal<>();

    private final Supplier<CompensationTemplate> template;

    /**
     * Creates the listener.
     *
     * @param template the template whose scopes to follow, looked up at the first nested transaction
     */
    public SavepointCompensationListener(Supplier<CompensationTemplate> template) {
        this.template = template;
    }

    @Override
    public void beforeBegin(TransactionExecution transaction) {
        if (!transaction.isNested()) {
            return;
        }
        ScopeSavepoint savepoint = template.get().createSavepoint();
        if (savepoint == null) {
            return;
        }
        Map<TransactionExecution, ScopeSavepoint> marks = MARKS.get();
        if (marks == null) {
            marks = new IdentityHashMap<>(4);
            MARKS.set(marks);
        }
        marks.put(transaction, savepoint);
    }

    @Override
    public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
        if (beginFailure != null) {
            forget(transaction);
        }
    }

    @Override
    public void afterCommit(TransactionExecution transaction, @Nullable Throwable commitFailure) {
        forget(transaction);
    }

    @Override
    public void afterRollback(TransactionExecution transaction, @Nullable Throwable rollbackFailure) {
        ScopeSavepoint savepoint = forget(transaction);
        if (savepoint != null && rollbackFailure == null) {
            savepoint.rollback();
        }
    }

    private static @Nullable ScopeSavepoint forget(TransactionExecution transaction) {
        Map<TransactionExecution, ScopeSavepoint> marks = MARKS.get();
        if (marks == null) {
            return null;
        }
        ScopeSavepoint savepoint = marks.remove(transaction);
        if (marks.isEmpty()) {
            MARKS.remove();
        }
        return savepoint;
    }
}
