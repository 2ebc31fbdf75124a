package io.github.compensation.journal;

import io.github.compensation.CommandHandle;
import io.github.compensation.DispatchCommands;
import org.jspecify.annotations.Nullable;

/**
 * {@link io.github.compensation.DispatchCommands} whose dispatches go through an outbox (clause J3). With the journal
 * on, the injected {@code DispatchCommands} bean is one of these; inject this type to use the durable forms:
 *
 * <pre>{@code
 * dispatch.append(TripEvents.class).booked(trip.id());       // recorded call of a bean method
 * dispatch.appendHandler("trip-booked", new TripBooked(trip.id())); // named @CommandHandler + payload
 * }</pre>
 *
 * <p>Inside a transaction on the journal's data source the outbox row is written in that transaction, so it exists
 * exactly when the transaction commits; it is delivered right after commit, and retried with back-off by the journal
 * worker after a failure or a crash, until it is done or parks as dead. Outside a transaction the row is written when
 * the scope commits. Lambdas registered through the inherited method keep their in-memory, not durable, behaviour.
 *
 * <p>Withdrawing (D6), through the handle of the handler form or with {@code discardAll()}, also deletes the outbox
 * rows concerned in the business transaction that wrote them, so that nothing delivers them after commit. Called
 * inside another transaction than the one that wrote a row (a {@code REQUIRES_NEW} one, or after that transaction
 * ended), it is refused with an {@link IllegalStateException} before anything changes.
 */
public interface DurableDispatchCommands extends DispatchCommands {

    /**
     * Records the next call made on the returned stand-in as a dispatch at the end of the queue.
     *
     * @param type the bean's type
     * @param <T>  the type
     * @return a stand-in: call exactly one method on it
     */
    <T> T append(Class<T> type);

    /**
     * Like {@link #append(Class)} for the bean with that name.
     *
     * @param beanName the bean's name
     * @param type     its type
     * @param <T>      the type
     * @return a stand-in: call exactly one method on it
     */
    <T> T append(String beanName, Class<T> type);

    /**
     * Queues a dispatch that calls the named {@link CommandHandler} with the payload. Named apart from
     * {@link #append(String, io.github.compensation.Command)}, which queues a lambda under a description.
     *
     * @param handler the handler's name
     * @param payload the payload
     * @return the handle of this dispatch
     */
    CommandHandle appendHandler(String handler, Object payload);

    /**
     * Queues a dispatch that calls the named {@link CommandHandler} with the payload, under a description of its own
     * (what operators and reports show), delivered in order with the other dispatches of the same ordering key
     * (clause M2): the journal's workers deliver a key's next dispatch only once the one before it is done (or dead,
     * when dead dispatches do not block their key), across instances. Right after commit it is delivered at once
     * only when no other dispatch of its key is unfinished; otherwise the workers deliver it in its turn. The message
     * dispatcher of {@code compensation-messaging} uses this with the message's key.
     *
     * @param handler     the handler's name
     * @param payload     the payload
     * @param description what it does, e.g. {@code "send TripBooked to kafka topic trips, key 42"}
     * @param orderingKey the key, or {@code null} for a dispatch delivered as it comes due
     * @return the handle of this dispatch
     */
    CommandHandle appendHandler(String handler, Object payload, String description, @Nullable String orderingKey);
}
