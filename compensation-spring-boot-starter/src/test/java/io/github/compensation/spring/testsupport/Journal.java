package io.github.compensation.spring.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What happened, in order: test beans and their commands write lines here, tests read them. A plain bean (never
 * proxied), shared by the beans of one context and cleared before each test.
 */
public class Journal {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    public void add(String line) {
        lines.add(line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void clear() {
        lines.clear();
    }

    /**
     * Records, as {@code "<label> committed"}, {@code "<label> rolled back"} or {@code "<label> unknown"}, how the
     * transaction active on the calling thread completes; the line is written before any other synchronization runs.
     *
     * @param label names the transaction in the journal
     */
    public void recordCompletionOfCurrentTransaction(String label) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                add(label + " " + switch (status) {
                    case STATUS_COMMITTED -> "committed";
                    case STATUS_ROLLED_BACK -> "rolled back";
                    default -> "unknown";
                });
            }

            @Override
            public int getOrder() {
                return Ordered.HIGHEST_PRECEDENCE;
            }
        });
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}
