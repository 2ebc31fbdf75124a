package io.github.compensation.sample.report;

import io.github.compensation.CommandReport;
import io.github.compensation.ScopeReport;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A scope report as JSON.
 *
 * @param id         scope id
 * @param name       {@code Class.method}
 * @param startedAt  when the scope opened
 * @param durationMs how long it took, commands included
 * @param outcome    COMMITTED, ROLLED_BACK, UNKNOWN or FAILED_NO_ROLLBACK
 * @param cause      the exception that ended it, or {@code null}
 * @param commands   every command: the rollback stack newest first, then the dispatch queue oldest first
 * @param rendered   the readable block the library logs
 */
public record ReportView(String id, String name, Instant startedAt, long durationMs, String outcome,
                         @Nullable ErrorView cause, List<CommandView> commands, String rendered) {

    static ReportView of(ScopeReport report) {
        return new ReportView(report.id(), report.name(), report.startedAt(), report.duration().toMillis(),
                report.outcome().name(), ErrorView.of(report.cause()),
                report.commands().stream().map(CommandView::of).toList(), report.render());
    }

    /**
     * One command.
     *
     * @param kind        COMPENSATION, CLEANUP or DISPATCH
     * @param description as registered
     * @param status      DONE, FAILED, DISCARDED or PENDING
     * @param attempts    attempts made
     * @param durationMs  time spent
     * @param error       the last failure, or {@code null}
     * @param note        why it did not run, or {@code null}
     */
    public record CommandView(String kind, String description, String status, int attempts, long durationMs,
                              @Nullable ErrorView error, @Nullable String note) {

        static CommandView of(CommandReport command) {
            return new CommandView(command.kind().name(), command.description(), command.status().name(),
                    command.attempts(), command.duration().toMillis(), ErrorView.of(command.error()),
                    command.note());
        }
    }

    /**
     * An exception.
     *
     * @param type    its class name
     * @param message its message
     */
    public record ErrorView(String type, @Nullable String message) {

        static @Nullable ErrorView of(@Nullable Throwable error) {
            return error == null ? null : new ErrorView(error.getClass().getName(), error.getMessage());
        }
    }
}
