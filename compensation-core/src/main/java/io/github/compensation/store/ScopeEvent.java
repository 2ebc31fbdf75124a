package io.github.compensation.store;

import io.github.compensation.CommandReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a kept scope's history: what a person did, who, when, and what they said (clause O3). Immutable.
 *
 * @param at      when
 * @param by      who: the authenticated name, or what the caller gave when nobody is authenticated; never blank
 * @param action  what
 * @param note    what the person said, or {@code null}
 * @param retried for {@link ScopeAction#RETRY}, the commands it ran again, each as it stood before the retry (its
 *                earlier attempts and error); empty for the other actions
 */
public record ScopeEvent(Instant at, String by, ScopeAction action, @Nullable String note,
                         List<RetriedCommand> retried) {

    /**
     * Checks the required values; the list is copied.
     */
    public ScopeEvent {
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(by, "by must not be null");
        Objects.requireNonNull(action, "action must not be null");
        retried = List.copyOf(retried);
        if (by.isBlank()) {
            throw new IllegalArgumentException("by must not be blank");
        }
    }

    /**
     * A command that a retry ran again, as it stood before: the earlier run the retry did not erase.
     *
     * @param index  the command's position in the scope's report
     * @param before its report before the retry
     */
    public record RetriedCommand(int index, CommandReport before) {

        /**
         * Checks the values.
         */
        public RetriedCommand {
            Objects.requireNonNull(before, "before must not be null");
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative, but was " + index);
            }
        }
    }
}
