package io.github.compensation.sample.partner;

/**
 * How a partner fails, on request: the reservation request names the mode, so every failure is deterministic.
 */
public enum FailureMode {

    /** The partner refuses the reservation with HTTP 422 (seats gone, card declined...). */
    REFUSE,

    /** The partner answers HTTP 503, as a service that is down would. */
    UNAVAILABLE,

    /**
     * The partner makes the reservation but answers only after {@code sample.partners.slow-reply}, longer than the
     * client's read timeout: the caller gives up although the reservation exists.
     */
    TIMEOUT,

    /** The reservation succeeds, but cancelling it later fails with HTTP 500. */
    CANCEL_FAILS
}
