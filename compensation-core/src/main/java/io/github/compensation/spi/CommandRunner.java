package io.github.compensation.spi;

import io.github.compensation.Command;
import io.github.compensation.RetrySpec;

/**
 * Runs one command, retrying it as its {@link RetrySpec} says. The core ships {@code SimpleCommandRunner}; the Spring
 * starter plugs in Spring Framework's {@code RetryTemplate}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs the command until it succeeds or the attempts are used up.
     *
     * @param command the command
     * @param retry   how often to try and how long to wait
     * @return the attempts made and, when every attempt failed, the last failure (earlier ones suppressed in it)
     */
    Attempts run(Command command, RetrySpec retry);

    /**
     * What running a command came to.
     *
     * @param count   attempts made, at least 1
     * @param failure the last failure, or {@code null} when the command succeeded
     */
    record Attempts(int count, @org.jspecify.annotations.Nullable Throwable failure) {

        /** The command succeeded on its first attempt. */
        public static final Attempts FIRST_TRY = new Attempts(1, null);
    }
}
