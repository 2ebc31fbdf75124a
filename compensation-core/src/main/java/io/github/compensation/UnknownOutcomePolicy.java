package io.github.compensation;

/**
 * What happens to compensations when a transaction ends with an unknown outcome (clause T3).
 */
public enum UnknownOutcomePolicy {

    /**
     * Compensations do not run by themselves: the scope is reported {@link Outcome#UNKNOWN} at ERROR, its
     * compensations marked pending, so that a person can decide. This is the default.
     */
    REPORT,

    /** Compensations run as if the transaction had rolled back. */
    COMPENSATE
}
