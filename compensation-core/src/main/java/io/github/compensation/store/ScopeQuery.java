package io.github.compensation.store;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which kept scopes to list: by state and by age (time since the scope started). Immutable.
 *
 * @param states    the states to include; never empty
 * @param minAge    only scopes that started at least this long ago, or {@code null} for no lower bound
 * @param maxAge    only scopes that started at most this long ago, or {@code null} for no upper bound
 * @param limit     the most scopes to return, newest first; at least 1
 */
public record ScopeQuery(Set<ScopeState> states, @Nullable Duration minAge, @Nullable Duration maxAge, int limit) {

    /** The default limit of {@link #needingAttention()} and {@link #all()}. */
    public static final int DEFAULT_LIMIT = 100;

    /**
     * Validates and copies the values.
     */
    public ScopeQuery {
        Objects.requireNonNull(states, "states must not be null");
        if (states.isEmpty()) {
            throw new IllegalArgumentException("states must not be empty");
        }
        states = Set.copyOf(states);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
        if ((minAge != null && minAge.isNegative()) || (maxAge != null && maxAge.isNegative())) {
            throw new IllegalArgumentException("minAge and maxAge must not be negative");
        }
    }

    /**
     * Scopes that need a person: {@link ScopeState#FAILED} and {@link ScopeState#PENDING}.
     *
     * @return the query
     */
    public static ScopeQuery needingAttention() {
        return new ScopeQuery(EnumSet.of(ScopeState.FAILED, ScopeState.PENDING), null, null, DEFAULT_LIMIT);
    }

    /**
     * Every kept scope.
     *
     * @return the query
     */
    public static ScopeQuery all() {
        return new ScopeQuery(EnumSet.allOf(ScopeState.class), null, null, DEFAULT_LIMIT);
    }
}
