package io.github.compensation.sample.partner;

/** The state of a reservation at a partner. */
public enum ReservationStatus {
    RESERVED,
    CANCELLED
}
