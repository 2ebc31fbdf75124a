package io.github.compensation.store;

import io.github.compensation.ScopeReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A settled scope as a {@link ScopeStore} keeps it: its report, where it stands, and what people did to it. Immutable.
 *
 * <p>The report's start, duration, outcome and cause are those the scope settled with; a retry never changes them
 * (clause O3). Its commands stand as they are now: after a retry, a command run again shows that retry's attempts and
 * error, and its earlier ones are in the {@link ScopeEvent#retried() history}.
 *
 * @param report    the scope's report, its commands as they stand now
 * @param state     where it stands
 * @param retryable whether the store can run its failed or pending commands again (in memory: while it still holds
 *                  them; in a journal: when they are recoverable)
 * @param updatedAt when the scope settled, or when it last changed since
 * @param history   what people did to it, oldest first; empty until someone acts
 */
public record StoredScope(ScopeReport report, ScopeState state, boolean retryable, Instant updatedAt,
                          List<ScopeEvent> history) {

    /**
     * Checks the required values; the history is copied.
     */
    public StoredScope {
        Objects.requireNonNull(report, "report must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(updatedAt, "updatedAt must not be null");
        history = List.copyOf(history);
    }

    /**
     * The scope's id.
     *
     * @return the id of its report
     */
    public String id() {
        return report.id();
    }

    /**
     * The latest note a person left, for one-line displays; {@link #history()} has them all.
     *
     * @return the latest note, or {@code null} when nobody left one
     */
    public @Nullable String latestNote() {
        for (int i = history.size() - 1; i >= 0; i--) {
            String note = history.get(i).note();
            if (note != null) {
                return note;
            }
        }
        return null;
    }
}
