package io.github.compensation.sample.trip;

/**
 * Announces a booking once it committed: in process by default ({@link InProcessTripAnnouncer}), on RabbitMQ in the
 * {@code rabbit} profile ({@link RabbitTripAnnouncer}). Called inside the booking's scope; what it registers is dropped
 * if the booking rolls back.
 */
public interface TripAnnouncer {

    /**
     * Queues the announcement as a dispatch command of the current scope.
     *
     * @param booked the event
     */
    void announceAfterCommit(TripBooked booked);
}
