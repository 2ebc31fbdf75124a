package io.github.compensation.support;

import io.github.compensation.Command;
import io.github.compensation.RetrySpec;
import io.github.compensation.spi.CommandRunner;
import java.time.Duration;

/**
 * Runs a command up to {@link RetrySpec#maxAttempts()} times, sleeping between attempts on the calling thread. An
 * interrupt during the wait stops retrying, keeps the thread's interrupt flag, and counts the command as failed.
 * Stateless and thread-safe.
 */
public final class SimpleCommandRunner implements CommandRunner {

    @Override
    public Attempts run(Command command, RetrySpec retry) {
        Throwable last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (attempt > 1 && !pause(retry.delayBefore(attempt), last)) {
                return new Attempts(attempt - 1, last);
            }
            try {
                command.run();
                return attempt == 1 ? Attempts.FIRST_TRY : new Attempts(attempt, null);
            }
            catch (Throwable failure) {
                if (last != null && last != failure) {
                    failure.addSuppressed(last);
                }
                last = failure;
                if (failure instanceof Error) {
                    return new Attempts(attempt, failure);
                }
            }
        }
        return new Attempts(retry.maxAttempts(), last);
    }

    private static boolean pause(Duration delay, Throwable last) {
        if (delay.isZero()) {
            return true;
        }
        try {
            Thread.sleep(delay.toMillis());
            return true;
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            last.addSuppressed(interrupted);
            return false;
        }
    }
}
