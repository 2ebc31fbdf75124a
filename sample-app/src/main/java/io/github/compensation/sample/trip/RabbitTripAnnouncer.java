package io.github.compensation.sample.trip;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.Message;
import io.github.compensation.messaging.MessageDispatcher;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code rabbit} profile: sends {@link TripBooked} as JSON to the RabbitMQ exchange {@code trips} with routing key
 * {@code trip.booked} after commit, keyed by the booking reference; the dispatch counts as done once RabbitMQ confirmed
 * it. {@link RabbitTripNotifications} consumes it.
 */
@Component
@Profile("rabbit")
class RabbitTripAnnouncer implements TripAnnouncer {

    static final Destination TRIP_BOOKED = Destination.rabbit(RabbitTripNotifications.EXCHANGE, "trip.booked");

    private final MessageDispatcher messages;

    RabbitTripAnnouncer(MessageDispatcher messages) {
        this.messages = messages;
    }

    @Override
    public void announceAfterCommit(TripBooked booked) {
        messages.send(Message.of(TRIP_BOOKED, booked.bookingRef(), booked));
    }
}
