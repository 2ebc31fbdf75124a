package io.github.compensation.store;

import io.github.compensation.Outcome;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;

/**
 * Where a kept scope stands for the people operating the application (clause O1).
 */
public enum ScopeState {

    /** A command failed (a compensation, a cleanup or a dispatch, dead after its last attempt): needs a person. */
    FAILED,

    /**
     * Nothing failed, but the outcome is unknown: compensations wait as {@link CommandStatus#PENDING} until a person
     * checks the remote side and resumes them, resolves or discards the scope.
     */
    PENDING,

    /** Nothing to do: every command that had to run did. */
    SETTLED,

    /** A person marked it resolved, or retried it until nothing was left to do. */
    RESOLVED,

    /** A person discarded it: what was left undone stays undone on purpose. */
    DISCARDED;

    /**
     * Whether scopes in this state need a person.
     *
     * @return {@code true} for {@link #FAILED} and {@link #PENDING}
     */
    public boolean needsAttention() {
        return this == FAILED || this == PENDING;
    }

    /**
     * The state a report calls for by itself, before anyone acted on it.
     *
     * @param report the report
     * @return {@link #FAILED} when a command failed, {@link #PENDING} when the outcome is unknown or a command is
     *         pending, {@link #SETTLED} otherwise
     */
    public static ScopeState of(ScopeReport report) {
        boolean pending = report.outcome() == Outcome.UNKNOWN;
        for (CommandReport command : report.commands()) {
            if (command.status() == CommandStatus.FAILED) {
                return FAILED;
            }
            pending |= command.status() == CommandStatus.PENDING;
        }
        return pending ? PENDING : SETTLED;
    }
}
