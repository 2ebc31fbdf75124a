package io.github.compensation.report;

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
 * @param duration    time spent on all attempts, {@link Duration#ZERO} when it did not run
 * @param error       the last failure, or {@code null}
 * @param note        why it did not run, or {@code null}
 */
public record CommandReport(CommandKind kind, String description, CommandStatus status, int attempts,
                            Duration duration, @Nullable Throwable error, @Nullable String note) {

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
     * A command that did not run.
     *
     * @param kind        its kind
     * @param description its description
     * @param status      {@link CommandStatus#DISCARDED} or {@link CommandStatus#PENDING}
     * @param note        why
     * @return the report
     */
    public static CommandReport notRun(CommandKind kind, String description, CommandStatus status, String note) {
        return new CommandReport(kind, description, status, 0, Duration.ZERO, null, note);
    }
}
