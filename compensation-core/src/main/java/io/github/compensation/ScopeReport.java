package io.github.compensation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened in one settled scope (clause H1): when it started, how long it took, how it ended, and every command
 * with its result. Immutable; handed to every {@code ScopeListener}.
 *
 * @param id        unique id of the scope, also put in log lines
 * @param name      typically {@code Class.method}
 * @param startedAt when the scope opened
 * @param duration  from opening to the end of its last command
 * @param outcome   how it ended
 * @param cause     the exception that ended it, or {@code null}
 * @param commands  every command in the order it was considered: the rollback stack newest first, then the dispatch
 *                  queue oldest first
 */
public record ScopeReport(String id, String name, Instant startedAt, Duration duration, Outcome outcome,
                          @Nullable Throwable cause, List<CommandReport> commands) {

    /**
     * Checks the required values; the command list is copied.
     */
    public ScopeReport {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(startedAt, "startedAt must not be null");
        Objects.requireNonNull(duration, "duration must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        commands = List.copyOf(commands);
    }

    /**
     * How many commands failed.
     *
     * @return the count
     */
    public long failedCount() {
        long failed = 0;
        for (CommandReport command : commands) {
            if (command.status() == CommandStatus.FAILED) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * Whether a person should look at this scope: a command failed, a command is pending, or the outcome is unknown.
     *
     * @return {@code true} when something needs attention
     */
    public boolean needsAttention() {
        for (CommandReport command : commands) {
            if (command.status() == CommandStatus.FAILED || command.status() == CommandStatus.PENDING) {
                return true;
            }
        }
        return outcome == Outcome.UNKNOWN;
    }

    /**
     * The cause in a few words, as the first line of {@link #render()} shows it: {@code SimpleName: message} of the
     * exception that ended the scope, or, for a scope that rolled back with no exception of its own because the
     * transaction it returned into rolled back (T2), "the caller's transaction rolled back".
     *
     * @return the text, or {@code null} when there is no cause to tell
     */
    public @Nullable String causeSummary() {
        return ReportFormatter.causeSummary(this);
    }

    /**
     * The report as a readable block of text, one line for the scope and one per command; the further lines of a
     * multi-line exception message are indented below the line they belong to.
     *
     * @return the block, without a trailing line break
     */
    public String render() {
        return ReportFormatter.render(this);
    }
}
