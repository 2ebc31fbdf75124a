package io.github.compensation.messaging;

import io.github.compensation.CommandHandle;

/**
 * Sends messages to a broker once the current scope commits (clause M1): the messaging form of
 * {@link io.github.compensation.DispatchCommands}. Inject it in the service, next to the holders:
 *
 * <pre>{@code
 * @DispatchAfterCommit
 * @Transactional
 * public Trip book(TripRequest request) {
 *     var trip = trips.save(...);
 *     messages.send(Message.of(Destination.kafka("trips"), trip.id(), new TripBooked(trip.id())));
 *     return trip;
 * }
 * }</pre>
 *
 * <p>{@link #send(Message)} registers one dispatch command in the innermost open scope that accepts dispatches; the
 * message is written as JSON at once, in the caller, so a payload that cannot be written fails there. After commit the
 * command sends the message and counts as done only once the broker acknowledged it; a failure or a timeout follows
 * clause D3 (logged, recorded in the scope's report, the committed call still returns). On a rollback it is dropped and
 * nothing is sent. Every message carries the headers of {@link MessageHeaders}.
 *
 * <p>The bean is a stateless singleton, thread-safe, acting on the calling thread's scope like the holders.
 */
public interface MessageDispatcher {

    /**
     * Queues a message to send after commit.
     *
     * @param message the message
     * @return the handle of the dispatch command: withdraw it to not send the message (D6)
     * @throws IllegalStateException    when no scope accepting dispatch commands is open (E1)
     * @throws IllegalArgumentException when no broker module sends to the message's destination, or the payload
     *                                  cannot be written as JSON
     */
    CommandHandle send(Message message);
}
