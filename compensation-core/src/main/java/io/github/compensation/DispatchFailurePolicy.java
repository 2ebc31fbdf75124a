package io.github.compensation;

/**
 * What a failing dispatch command does to the call that committed (clause D3).
 */
public enum DispatchFailurePolicy {

    /** The failure is logged at ERROR with the scope id and recorded in the report; the caller sees success. */
    LOG,

    /**
     * After every dispatch command ran, a {@link DispatchFailedException} is thrown to the caller when the dispatch
     * happened on the caller's path (no transaction, or the method owned its transaction). Dispatches that run from a
     * caller's transaction completion have no caller to throw to and are logged as with {@link #LOG}.
     */
    PROPAGATE
}
