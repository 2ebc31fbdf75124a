package io.github.compensation.sample.batch;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Suspends every active customer with an overdue invoice, one transaction per customer
 * ({@link CustomerSuspension#suspend}, called through its proxy). A customer that fails is rolled back alone, gets an
 * alert row, and the job carries on with the next one. The job itself runs outside any transaction.
 */
@Component
public class SuspendOverdueJob {

    private static final Logger LOG = LoggerFactory.getLogger(SuspendOverdueJob.class);

    private final CustomerRepository customers;
    private final CustomerSuspension suspension;

    SuspendOverdueJob(CustomerRepository customers, CustomerSuspension suspension) {
        this.customers = customers;
        this.suspension = suspension;
    }

    public Result run() {
        List<OverdueCustomer> overdue = customers.findOverdue();
        List<Long> suspended = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (OverdueCustomer customer : overdue) {
            try {
                suspension.suspend(customer);
                suspended.add(customer.id());
            }
            catch (RuntimeException problem) {
                LOG.warn("Customer {} ({}) not suspended: {}", customer.id(), customer.name(), problem.toString());
                failed.add(new Failure(customer.id(), customer.name(), problem.getClass().getName(),
                        problem.getMessage()));
            }
        }
        return new Result(overdue.size(), suspended, failed);
    }

    /**
     * What one run did.
     *
     * @param overdue   how many overdue customers it found
     * @param suspended the customers it suspended
     * @param failed    the customers it could not suspend (each also has an alert row)
     */
    public record Result(int overdue, List<Long> suspended, List<Failure> failed) {
    }

    /**
     * A customer that could not be suspended.
     *
     * @param customerId customer id
     * @param name       customer name
     * @param errorType  the exception's class
     * @param message    the exception's message
     */
    public record Failure(long customerId, String name, String errorType, String message) {
    }
}
