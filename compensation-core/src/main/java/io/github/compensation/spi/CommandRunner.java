package io.github.compensation.spi;

import io.github.compensation.Command;
import io.github.compensation.CommandKind;
import io.github.compensation.RetrySpec;
import java.util.List;

/**
 * Runs one command, retrying it as its {@link RetrySpec} says. The core ships {@code SimpleCommandRunner}; the Spring
 * starter plugs in Spring Framework's {@code RetryTemplate}. Implementations must be thread-safe, and keep this
 * contract, which every runner of the project is tested against (clause R6):
 * <ul>
 * <li>a command that succeeds is not run again; {@link Attempts#count()} counts every attempt made, the first
 * included, and never exceeds {@link RetrySpec#maxAttempts()};</li>
 * <li>when every attempt failed, {@link Attempts#failure()} is the last failure, the very instance the command threw,
 * with each earlier, distinct failure attached with {@code addSuppressed}, oldest first: no failure is lost;</li>
 * <li>a {@link java.lang.Error} is not retried;</li>
 * <li>an interrupt while waiting for the next attempt stops retrying: the command counts as failed with the attempts
 * made so far, the thread's interrupt flag stays set, and the {@link InterruptedException} is suppressed in the
 * returned failure, after the earlier failures.</li>
 * </ul>
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
     * The last of the failures of one command, with each earlier, distinct failure attached with
     * {@code addSuppressed}, oldest first: what {@link Attempts#failure()} must be when every attempt failed.
     *
     * @param failures every failure, in the order the attempts threw them; not empty
     * @return the last failure
     */
    static Throwable lastWithEarlierSuppressed(List<? extends Throwable> failures) {
        Throwable last = failures.get(failures.size() - 1);
        for (int i = 0; i < failures.size() - 1; i++) {
            Throwable earlier = failures.get(i);
            if (earlier != last && !List.of(last.getSuppressed()).contains(earlier)) {
                last.addSuppressed(earlier);
            }
        }
        return last;
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
