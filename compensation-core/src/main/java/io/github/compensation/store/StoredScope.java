package io.github.compensation.store;

import io.github.compensation.ScopeReport;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A settled scope as a {@link ScopeStore} keeps it: its latest report and where it stands. Immutable.
 *
 * @param report    the latest report: the one the scope settled with, or the one its last retry produced
 * @param state     where it stands
 * @param retryable whether the store can run its failed or pending commands again (in memory: while it still holds
 *                  them; in a journal: when they are recoverable)
 * @param updatedAt when the scope settled, or when a person last acted on it
 * @param note      what a person said when acting on it, or {@code null}
 */
public record StoredScope(ScopeReport report, ScopeState state, boolean retryable, Instant updatedAt,
                          @Nullable String note) {

    /**
     * Checks the required values.
     */
    public StoredScope {
        Objects.requireNonNull(report, "report must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(updatedAt, "updatedAt must not be null");
    }

    /**
     * The scope's id.
     *
     * @return the id of its report
     */
    public String id() {
        return report.id();
    }
}
