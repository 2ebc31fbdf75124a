package io.github.compensation.spring.retry;

import io.github.compensation.Command;
import io.github.compensation.spi.CommandRunner;
import io.github.compensation.RetrySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Runs commands through Spring Framework's {@link RetryTemplate}, one template per distinct {@link RetrySpec}, cached.
 * A spec of one attempt runs the command directly. Keeps the {@link CommandRunner} contract: the earlier failures that
 * Spring's {@link RetryException} collects are attached to the last one. Thread-safe.
 */
public class RetryTemplateCommandRunner implements CommandRunner {

    private final Map<RetrySpec, RetryTemplate> templates = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("NullAway") // Retryable<@Nullable Object>: generic nullability needs JSpecify mode (JDK 21+)
    public Attempts run(Command command, RetrySpec retry) {
        if (retry.maxAttempts() == 1) {
            try {
                command.run();
                return Attempts.FIRST_TRY;
            }
            catch (Throwable failure) {
                return new Attempts(1, failure);
            }
        }
        AtomicInteger attempts = new AtomicInteger();
        try {
            templates.computeIfAbsent(retry, RetryTemplateCommandRunner::template).execute(() -> {
                attempts.incrementAndGet();
                command.run();
                return null;
            });
            return new Attempts(attempts.get(), null);
        }
        catch (RetryException exhausted) {
            List<Throwable> failures = exhausted.getExceptions();
            Throwable last = failures.isEmpty() ? exhausted : CommandRunner.lastWithEarlierSuppressed(failures);
            if (Thread.currentThread().isInterrupted() && last != exhausted) {
                // RetryTemplate keeps the interrupt flag but drops the InterruptedException: record the interrupt.
                InterruptedException interrupted = new InterruptedException(exhausted.getMessage());
                interrupted.initCause(exhausted);
                last.addSuppressed(interrupted);
            }
            return new Attempts(Math.max(1, attempts.get()), last);
        }
    }

    private static RetryTemplate template(RetrySpec retry) {
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(retry.maxAttempts() - 1L)
                .delay(retry.delay())
                .multiplier(retry.multiplier())
                .maxDelay(retry.maxDelay().compareTo(retry.delay()) < 0 ? retry.delay() : retry.maxDelay())
                .predicate(failure -> !(failure instanceof Error))
                .build();
        return new RetryTemplate(policy);
    }
}
