package io.github.compensation;

/**
 * How a scope ended. The outcome decides which of its commands run.
 */
public enum Outcome {

    /** The scope completed and its transaction, if any, committed: dispatch commands and cleanups run. */
    COMMITTED,

    /**
     * The scope threw an exception that triggers a rollback, or its transaction rolled back: compensations and
     * cleanups run, newest first; dispatch commands are discarded.
     */
    ROLLED_BACK,

    /**
     * The transaction manager could not tell whether the transaction committed. Cleanups run; compensations run only
     * when the {@link UnknownOutcomePolicy} says so; dispatch commands are discarded.
     */
    UNKNOWN,

    /**
     * The scope threw an exception excluded by its rollback rules: nothing is undone and nothing is dispatched;
     * cleanups still run.
     */
    FAILED_NO_ROLLBACK,

    /**
     * The subscriber of a reactive scope cancelled before the work ended (clause A2): the work was abandoned
     * somewhere in the middle, so compensations and cleanups run, newest first, as for a rollback, and dispatch
     * commands are discarded. Whether a cancellation ends a scope this way or as {@link #UNKNOWN}, for a person to
     * decide, is the reactive integration's cancellation policy.
     */
    CANCELLED
}
