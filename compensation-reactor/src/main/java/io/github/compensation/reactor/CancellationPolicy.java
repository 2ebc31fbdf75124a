package io.github.compensation.reactor;

import io.github.compensation.Outcome;

/**
 * What a cancelled subscription does to its scope (clause A2). A cancellation means the work was abandoned somewhere
 * in the middle: its side effects may be half done. The scope is reported with a
 * {@link java.util.concurrent.CancellationException} as its cause.
 */
public enum CancellationPolicy {

    /**
     * The default: the scope ends {@link Outcome#CANCELLED}, an outcome of its own; compensations and cleanups run,
     * newest first, as for a rollback, and dispatches are dropped.
     */
    COMPENSATE,

    /**
     * The scope ends {@link Outcome#UNKNOWN}: compensations are left pending for a person (or run, when the template's
     * unknown-outcome policy says so), cleanups run, dispatches are dropped, and the report is logged at ERROR.
     */
    REPORT;

    /**
     * The outcome a cancelled scope settles with.
     *
     * @return {@link Outcome#CANCELLED} or {@link Outcome#UNKNOWN}
     */
    public Outcome outcome() {
        return this == COMPENSATE ? Outcome.CANCELLED : Outcome.UNKNOWN;
    }
}
