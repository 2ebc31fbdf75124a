package io.github.compensation.amqp;

/** The event the tests publish. */
public record TripBooked(String tripId) {
}
