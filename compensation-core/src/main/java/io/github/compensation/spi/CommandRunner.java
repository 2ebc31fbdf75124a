package io.github.compensation.spi;

import io.github.compensation.Command;
import io.github.compensation.CommandKind;
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
     * Runs the command as {@link #run(Command, RetrySpec)} does; the engine calls this one, so that a decorator can
     * tell commands apart by what they are, for example a test that makes one command fail (compensation-test). A
     * decorator that overrides it should pass the kind and description on to its delegate. The default ignores them.
     *
     * @param command     the command
     * @param retry       how often to try and how long to wait
     * @param kind        compensation, cleanup or dispatch
     * @param description the command's description, as registered
     * @return the attempts made and, when every attempt failed, the last failure
     */
    default Attempts run(Command command, RetrySpec retry, CommandKind kind, String description) {
        return run(command, retry);
    }

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
