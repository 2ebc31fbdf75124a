package io.github.compensation;

/**
 * What became of a registered command when its scope settled.
 */
public enum CommandStatus {

    /** It ran and succeeded, possibly after retries. */
    DONE,

    /** Every attempt failed. */
    FAILED,

    /** It was not run, by design: the outcome did not call for it, or it was discarded. */
    DISCARDED,

    /** It was not run and still needs a decision: the outcome was unknown. */
    PENDING
}
