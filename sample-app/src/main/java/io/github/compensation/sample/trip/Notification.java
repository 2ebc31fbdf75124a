package io.github.compensation.sample.trip;

import java.time.Instant;

/**
 * A row of the {@code notifications} table: what the {@link TripBooked} listener recorded.
 *
 * @param id         database id
 * @param tripId     the trip
 * @param bookingRef its booking reference
 * @param message    what the customer is told
 * @param createdAt  when
 */
public record Notification(long id, long tripId, String bookingRef, String message, Instant createdAt) {
}
