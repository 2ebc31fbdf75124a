package io.github.compensation;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What became of one command (clause R8). Immutable.
 *
 * @param kind        compensation, cleanup or dispatch
 * @param description as registered
 * @param status      done, failed, discarded or pending
 * @param attempts    attempts made, {@code 0} when it did not run
 * @param maxAttempts attempts it was allowed by its retry settings (clause R6), {@code 0} when it did not run
 * @param duration    time spent on all attempts, {@link Duration#ZERO} when it did not run
 * @param error       the last failure, or {@code null}
 * @param note        why it did not run, or {@code null}
 */
public record CommandReport(CommandKind kind, String description, CommandStatus status, int attempts,
                            int maxAttempts, Duration duration, @Nullable Throwable error, @Nullable String note) {

    /**
     * Checks the required values.
     */
    public CommandReport {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(duration, "duration must not be null");
    }

    /**
     * A report whose allowed attempts are not known; they count as the attempts made.
     *
     * @param kind        compensation, cleanup or dispatch
     * @param description as registered
     * @param status      done, failed, discarded or pending
     * @param attempts    attempts made, {@code 0} when it did not run
     * @param duration    time spent on all attempts
     * @param error       the last failure, or {@code null}
     * @param note        why it did not run, or {@code null}
     */
    public CommandReport(CommandKind kind, String description, CommandStatus status, int attempts, Duration duration,
            @Nullable Throwable error, @Nullable String note) {
        this(kind, description, status, attempts, attempts, duration, error, note);
    }

    /**
     * Whether a person should look at this command: it failed, or it is pending a decision.
     *
     * @return {@code true} for {@link CommandStatus#FAILED} and {@link CommandStatus#PENDING}
     */
    public boolean needsAttention() {
        return status == CommandStatus.FAILED || status == CommandStatus.PENDING;
    }

    /**
     * A command that did not run.
     *
     * @param kind        its kind
     * @param description its description
     * @param status      {@link CommandStatus#DISCARDED} or {@link CommandStatus#PENDING}
     * @param note        why
     * @return the report
     */
    public static CommandReport notRun(CommandKind kind, String description, CommandStatus status, String note) {
        return new CommandReport(kind, description, status, 0, 0, Duration.ZERO, null, note);
    }
}
