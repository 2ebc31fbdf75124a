package io.github.compensation.sample.batch;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Suspends one customer in one transaction: marks the customer suspended, then escalates the overdue invoices. If the
 * second step fails, the first is rolled back with it; nothing of this customer stays half-done.
 *
 * <p>The alert is a compensation: registered first, it runs only if this customer's transaction rolls back (also when
 * the commit itself fails), after the database rolled back, on a connection of its own, so its insert commits
 * although the customer's transaction did not (clause D4). Why not a {@code REQUIRES_NEW} write from a
 * {@code catch} block: that would hold a second connection while the failing transaction still holds its locks,
 * would not see a failure that happens at commit, and would leave no trace in the scope report.
 */
@Service
public class CustomerSuspension {

    private final CustomerRepository customers;
    private final AlertRepository alerts;
    private final RollbackCommands rollback;

    CustomerSuspension(CustomerRepository customers, AlertRepository alerts, RollbackCommands rollback) {
        this.customers = customers;
        this.alerts = alerts;
        this.rollback = rollback;
    }

    @RollbackOnceFailed
    @Transactional
    public void suspend(OverdueCustomer customer) {
        String context = "Suspending customer " + customer.id() + " (" + customer.name() + ")";
        String scopeId = currentScopeId();
        // A compensation does not receive the exception that rolled its scope back: keep it here for the alert.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        rollback.append("record alert: " + context, () -> {
            Throwable cause = failure.get();
            alerts.record(context, cause != null ? cause.getClass().getName() : "TransactionRolledBack",
                    cause != null ? String.valueOf(cause.getMessage()) : "the transaction rolled back at commit",
                    scopeId);
        });
        try {
            customers.markSuspended(customer.id());
            customers.escalateOverdueInvoices(customer.id());
        }
        catch (RuntimeException | Error problem) {
            failure.set(problem);
            throw problem;
        }
    }

    private static @Nullable String currentScopeId() {
        CompensationScope scope = Compensations.currentScope();
        return scope != null ? scope.id() : null;
    }
}
