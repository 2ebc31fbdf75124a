package io.github.compensation;

/**
 * What a failing cleanup does to a scope that otherwise committed (clause R9). In a scope that rolled back, cleanup
 * failures are always attached to the caller's exception as suppressed (R4); this policy decides only for the
 * committed case.
 */
public enum CleanupFailurePolicy {

    /**
     * The default: the failure is logged at ERROR with the scope id and recorded in the report; the committed call
     * returns normally, as with a failing dispatch under {@link DispatchFailurePolicy#LOG}.
     */
    LOG,

    /**
     * After every command of the committed scope ran (cleanups, then dispatches), a {@link CleanupFailedException}
     * carrying the cleanup failures as suppressed exceptions is thrown to the caller, when the scope settled on the
     * caller's path (no transaction, or the method owned its transaction). Cleanups that run from a caller's
     * transaction completion have nobody to throw to and are logged as with {@link #LOG}.
     */
    PROPAGATE
}
