package io.github.compensation.spring.operations;

import io.github.compensation.CommandReport;
import io.github.compensation.ScopeReport;
import io.github.compensation.store.StoredScope;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * One kept scope as the {@code compensations} endpoint shows it in JSON: the report of clause H1 and where the scope
 * stands. Times are ISO-8601 strings, durations milliseconds, errors {@code SimpleName: message} with the type's full
 * name alongside.
 *
 * @param id             the scope's id
 * @param name           typically {@code Class.method}
 * @param state          {@code FAILED}, {@code PENDING}, {@code SETTLED}, {@code RESOLVED} or {@code DISCARDED}
 * @param needsAttention whether the scope needs a person
 * @param retryable      whether {@code POST .../{id}/retry} can run something again
 * @param outcome        how the scope ended
 * @param startedAt      when the scope opened
 * @param durationMillis how long it took to settle
 * @param cause          the exception that ended it, or {@code null}
 * @param causeType      that exception's class name, or {@code null}
 * @param updatedAt      when it settled or a person last acted on it
 * @param note           what a person said when acting on it, or {@code null}
 * @param commands       every command, in the order considered
 */
public record ScopeDescriptor(String id, String name, String state, boolean needsAttention, boolean retryable,
                              String outcome, String startedAt, long durationMillis, @Nullable String cause,
                              @Nullable String causeType, String updatedAt, @Nullable String note,
                              List<CommandDescriptor> commands) implements OperationResponseBody {

    static ScopeDescriptor of(StoredScope stored) {
        ScopeReport report = stored.report();
        Throwable cause = report.cause();
        return new ScopeDescriptor(report.id(), report.name(), stored.state().name(), stored.state().needsAttention(),
                stored.retryable(), report.outcome().name(), report.startedAt().toString(),
                report.duration().toMillis(), cause == null ? null : brief(cause),
                cause == null ? null : cause.getClass().getName(), stored.updatedAt().toString(), stored.note(),
                report.commands().stream().map(CommandDescriptor::of).toList());
    }

    /**
     * The scope as readable text: the block of clause H1, then a line saying where it stands.
     *
     * @param stored the scope
     * @return the text, ending with a line break
     */
    static String text(StoredScope stored) {
        StringBuilder text = new StringBuilder(stored.report().render()).append('\n')
                .append("  state     ").append(stored.state().name().toLowerCase(Locale.ROOT));
        if (stored.state().needsAttention()) {
            text.append(stored.retryable() ? ", can be retried" : ", cannot be retried: resolve or discard it");
        }
        text.append(", updated ").append(stored.updatedAt());
        if (stored.note() != null) {
            text.append(": ").append(stored.note());
        }
        return text.append('\n').toString();
    }

    static String brief(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * One command of a scope.
     *
     * @param kind           {@code COMPENSATION}, {@code CLEANUP} or {@code DISPATCH}
     * @param description    as registered
     * @param status         {@code DONE}, {@code FAILED}, {@code DISCARDED} or {@code PENDING}
     * @param attempts       attempts made
     * @param maxAttempts    attempts allowed by its retry settings
     * @param durationMillis time spent on all attempts
     * @param error          the last failure, or {@code null}
     * @param errorType      that failure's class name, or {@code null}
     * @param note           why it did not run, or {@code null}
     */
    public record CommandDescriptor(String kind, String description, String status, int attempts, int maxAttempts,
                                    long durationMillis, @Nullable String error, @Nullable String errorType,
                                    @Nullable String note) {

        static CommandDescriptor of(CommandReport command) {
            Throwable error = command.error();
            return new CommandDescriptor(command.kind().name(), command.description(), command.status().name(),
                    command.attempts(), command.maxAttempts(), command.duration().toMillis(),
                    error == null ? null : brief(error), error == null ? null : error.getClass().getName(),
                    command.note());
        }
    }
}
