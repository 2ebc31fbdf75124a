package io.github.compensation;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a scope is: its name, which holders it opens, how it nests and which exceptions trigger its compensations.
 * The Spring starter builds one per annotated method and caches it. Immutable and thread-safe.
 *
 * @param name        shown in reports, typically {@code Class.method}
 * @param rollback    whether {@link RollbackCommands} accepts commands in this scope
 * @param dispatch    whether {@link DispatchCommands} accepts commands in this scope
 * @param propagation how the scope relates to an enclosing one
 * @param rules       which exceptions trigger the compensations
 * @param retry       retry of failing compensations, or {@code null} for the template's default
 * @param parallel    whether, on a rollback, the rollback stack runs concurrently on the template's parallel executor
 *                    instead of one command after the other (clause A3)
 */
public record ScopeDefinition(String name, boolean rollback, boolean dispatch, Propagation propagation,
                              RollbackRules rules, @Nullable RetrySpec retry, boolean parallel) {

    /**
     * Validates the definition.
     */
    public ScopeDefinition {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(propagation, "propagation must not be null");
        Objects.requireNonNull(rules, "rules must not be null");
        if (!rollback && !dispatch) {
            throw new IllegalArgumentException("scope '" + name + "' must accept rollback commands, dispatch commands,"
                    + " or both");
        }
    }

    /**
     * A definition whose compensations run one after the other.
     *
     * @param name        shown in reports, typically {@code Class.method}
     * @param rollback    whether {@link RollbackCommands} accepts commands in this scope
     * @param dispatch    whether {@link DispatchCommands} accepts commands in this scope
     * @param propagation how the scope relates to an enclosing one
     * @param rules       which exceptions trigger the compensations
     * @param retry       retry of failing compensations, or {@code null} for the template's default
     */
    public ScopeDefinition(String name, boolean rollback, boolean dispatch, Propagation propagation,
            RollbackRules rules, @Nullable RetrySpec retry) {
        this(name, rollback, dispatch, propagation, rules, retry, false);
    }

    /**
     * A scope with both holders, {@link Propagation#REQUIRED}, every exception triggering, default retry.
     *
     * @param name shown in reports
     * @return the definition
     */
    public static ScopeDefinition named(String name) {
        return new ScopeDefinition(name, true, true, Propagation.REQUIRED, RollbackRules.ALL, null);
    }

    /**
     * This definition with another propagation.
     *
     * @param propagation how the scope relates to an enclosing one
     * @return a new definition
     */
    public ScopeDefinition withPropagation(Propagation propagation) {
        return new ScopeDefinition(name, rollback, dispatch, propagation, rules, retry, parallel);
    }

    /**
     * This definition with other rollback rules.
     *
     * @param rules which exceptions trigger the compensations
     * @return a new definition
     */
    public ScopeDefinition withRules(RollbackRules rules) {
        return new ScopeDefinition(name, rollback, dispatch, propagation, rules, retry, parallel);
    }

    /**
     * This definition with a retry for failing compensations.
     *
     * @param retry the retry, or {@code null} for the template's default
     * @return a new definition
     */
    public ScopeDefinition withRetry(@Nullable RetrySpec retry) {
        return new ScopeDefinition(name, rollback, dispatch, propagation, rules, retry, parallel);
    }

    /**
     * This definition with compensations that run concurrently, or one after the other (clause A3).
     *
     * @param parallel whether the rollback stack runs concurrently on a rollback
     * @return a new definition
     */
    public ScopeDefinition withParallel(boolean parallel) {
        return new ScopeDefinition(name, rollback, dispatch, propagation, rules, retry, parallel);
    }
}
