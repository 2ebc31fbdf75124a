package io.github.compensation.sample.trip;

/**
 * Published once a booking committed, never for a booking that rolled back.
 *
 * @param tripId      database id
 * @param bookingRef  booking reference
 * @param customer    who travels
 * @param destination where to
 */
public record TripBooked(long tripId, String bookingRef, String customer, String destination) {
}
