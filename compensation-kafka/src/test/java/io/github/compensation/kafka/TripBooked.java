package io.github.compensation.kafka;

/** The event the tests publish. */
public record TripBooked(String tripId) {
}
