package io.github.compensation.spring.operations;

import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import io.github.compensation.store.ScopeEvent;
import io.github.compensation.store.StoredScope;
import java.util.ArrayList;
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
 * @param cause          the exception that ended it, "the caller's transaction rolled back" for a scope undone with
 *                       the transaction it returned into, or {@code null}
 * @param causeType      that exception's class name, or {@code null}
 * @param updatedAt      when it settled or a person last acted on it
 * @param note           the latest note a person left, or {@code null}; {@code history} has them all
 * @param history        what people did to it, oldest first (clause O3)
 * @param commands       every command, in the order considered, as it stands now
 */
public record ScopeDescriptor(String id, String name, String state, boolean needsAttention, boolean retryable,
                              String outcome, String startedAt, long durationMillis, @Nullable String cause,
                              @Nullable String causeType, String updatedAt, @Nullable String note,
                              List<EventDescriptor> history, List<CommandDescriptor> commands)
        implements OperationResponseBody {

    static ScopeDescriptor of(StoredScope stored) {
        ScopeReport report = stored.report();
        Throwable cause = report.cause();
        List<CommandDescriptor> commands = new ArrayList<>(report.commands().size());
        for (int i = 0; i < report.commands().size(); i++) {
            List<RunDescriptor> earlier = new ArrayList<>();
            for (ScopeEvent event : stored.history()) {
                for (ScopeEvent.RetriedCommand retried : event.retried()) {
                    if (retried.index() == i) {
                        earlier.add(RunDescriptor.of(event, retried.before()));
                    }
                }
            }
            commands.add(CommandDescriptor.of(report.commands().get(i), earlier));
        }
        return new ScopeDescriptor(report.id(), report.name(), stored.state().name(), stored.state().needsAttention(),
                stored.retryable(), report.outcome().name(), report.startedAt().toString(),
                report.duration().toMillis(), report.causeSummary(),
                cause == null ? null : cause.getClass().getName(), stored.updatedAt().toString(), stored.latestNote(),
                stored.history().stream().map(EventDescriptor::of).toList(), commands);
    }

    /**
     * The scope as readable text: the block of clause H1, a line saying where it stands, and one per action a person
     * took.
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
        for (ScopeEvent event : stored.history()) {
            text.append("\n  history   ").append(event.at()).append(' ')
                    .append(event.action().name().toLowerCase(Locale.ROOT)).append(" by ").append(event.by());
            for (ScopeEvent.RetriedCommand retried : event.retried()) {
                CommandReport before = retried.before();
                text.append(", ").append(before.description()).append(before.status() == CommandStatus.PENDING
                        ? " had not run (pending)" : " had failed after " + before.attempts() + " attempt(s)");
            }
            if (event.note() != null) {
                text.append(": ").append(event.note().replace("\n", "\n            "));
            }
        }
        return text.append('\n').toString();
    }

    static String brief(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * One action a person took on the scope.
     *
     * @param at     when, ISO-8601
     * @param by     who
     * @param action {@code RETRY}, {@code RESOLVE}, {@code DISCARD} or {@code NOTE}
     * @param note   what the person said, or {@code null}
     */
    public record EventDescriptor(String at, String by, String action, @Nullable String note) {

        static EventDescriptor of(ScopeEvent event) {
            return new EventDescriptor(event.at().toString(), event.by(), event.action().name(), event.note());
        }
    }

    /**
     * An earlier run of a command, before a person retried it.
     *
     * @param retriedAt      when the retry that followed it was asked for
     * @param retriedBy      who asked
     * @param status         what it was then: {@code FAILED} or {@code PENDING}
     * @param attempts       attempts made in that run
     * @param maxAttempts    attempts allowed in that run
     * @param durationMillis time spent on that run
     * @param error          its failure, or {@code null}
     * @param errorType      that failure's class name, or {@code null}
     * @param note           why it did not run, or the journal's last error, or {@code null}
     */
    public record RunDescriptor(String retriedAt, String retriedBy, String status, int attempts, int maxAttempts,
                                long durationMillis, @Nullable String error, @Nullable String errorType,
                                @Nullable String note) {

        static RunDescriptor of(ScopeEvent retry, CommandReport before) {
            Throwable error = before.error();
            return new RunDescriptor(retry.at().toString(), retry.by(), before.status().name(), before.attempts(),
                    before.maxAttempts(), before.duration().toMillis(), error == null ? null : brief(error),
                    error == null ? null : error.getClass().getName(), before.note());
        }
    }

    /**
     * One command of a scope, as it stands now.
     *
     * @param kind           {@code COMPENSATION}, {@code CLEANUP} or {@code DISPATCH}
     * @param description    as registered
     * @param status         {@code DONE}, {@code FAILED}, {@code DISCARDED} or {@code PENDING}
     * @param attempts       attempts made in its latest run
     * @param maxAttempts    attempts allowed by its retry settings
     * @param durationMillis time spent on the attempts of its latest run
     * @param error          the last failure, or {@code null}
     * @param errorType      that failure's class name, or {@code null}
     * @param note           why it did not run, or {@code null}
     * @param earlier        its runs before each retry, oldest first; empty when never retried
     */
    public record CommandDescriptor(String kind, String description, String status, int attempts, int maxAttempts,
                                    long durationMillis, @Nullable String error, @Nullable String errorType,
                                    @Nullable String note, List<RunDescriptor> earlier) {

        static CommandDescriptor of(CommandReport command, List<RunDescriptor> earlier) {
            Throwable error = command.error();
            return new CommandDescriptor(command.kind().name(), command.description(), command.status().name(),
                    command.attempts(), command.maxAttempts(), command.duration().toMillis(),
                    error == null ? null : brief(error), error == null ? null : error.getClass().getName(),
                    command.note(), List.copyOf(earlier));
        }
    }
}
