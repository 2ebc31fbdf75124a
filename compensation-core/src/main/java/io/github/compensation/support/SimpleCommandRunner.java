package io.github.compensation.support;

import io.github.compensation.Command;
import io.github.compensation.RetrySpec;
import io.github.compensation.spi.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs a command up to {@link RetrySpec#maxAttempts()} times, sleeping between attempts on the calling thread, as the
 * {@link CommandRunner} contract says. Stateless and thread-safe.
 */
public final class SimpleCommandRunner implements CommandRunner {

    @Override
    public Attempts run(Command command, RetrySpec retry) {
        List<Throwable> failures = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            InterruptedException interrupted = attempt > 1 ? pause(retry.delayBefore(attempt)) : null;
            if (interrupted != null) {
                Attempts stopped = failed(attempt - 1, failures);
                Objects.requireNonNull(stopped.failure()).addSuppressed(interrupted);
                return stopped;
            }
            try {
                command.run();
                return attempt == 1 ? Attempts.FIRST_TRY : new Attempts(attempt, null);
            }
            catch (Throwable failure) {
                if (failures == null) {
                    failures = new ArrayList<>(retry.maxAttempts());
                }
                failures.add(failure);
                if (failure instanceof Error) {
                    return failed(attempt, failures);
                }
            }
        }
        return failed(retry.maxAttempts(), failures);
    }

    private static Attempts failed(int attempts, @Nullable List<Throwable> failures) {
        if (failures == null || failures.isEmpty()) {
            return new Attempts(Math.max(1, attempts), new IllegalStateException("no attempt was made"));
        }
        return new Attempts(attempts, CommandRunner.lastWithEarlierSuppressed(failures));
    }

    /** Waits; returns the interrupt that cut the wait short, with the thread's interrupt flag set again. */
    private static @Nullable InterruptedException pause(Duration delay) {
        if (delay.isZero()) {
            return null;
        }
        try {
            Thread.sleep(delay.toMillis());
            return null;
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return interrupted;
        }
    }
}
