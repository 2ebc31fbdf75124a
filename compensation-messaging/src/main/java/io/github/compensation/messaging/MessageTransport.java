package io.github.compensation.messaging;

import java.util.concurrent.CompletableFuture;

/**
 * Sends {@link OutgoingMessage}s to one broker and says when the broker acknowledged them: what a broker module
 * ({@code compensation-kafka}, {@code compensation-amqp}) implements. The dispatcher that sends after commit and the
 * journal's outbox worker both use it.
 *
 * <p>Implementations are thread-safe and never block for the acknowledgement: {@link #send(OutgoingMessage)} returns
 * at once (or after at most the configured send timeout, for a client that must first find the broker), so that a
 * caller may send several messages before it waits.
 */
public interface MessageTransport {

    /**
     * The broker's name for messages and reports, e.g. {@code "Kafka"}.
     *
     * @return the name
     */
    String brokerName();

    /**
     * Whether this transport sends to that kind of destination.
     *
     * @param destination a destination
     * @return {@code true} when {@link #send(OutgoingMessage)} accepts it
     */
    boolean supports(Destination destination);

    /**
     * Sends a message.
     *
     * @param message the message, for a destination this transport {@linkplain #supports(Destination) supports}
     * @return completes normally once the broker acknowledged the message (Kafka: acknowledged by the partition's
     *         leader, and its in-sync replicas with {@code acks=all}; RabbitMQ: a publisher confirm, and the message was
     *         routed), exceptionally when it refused it, returned it or could not be reached
     * @throws RuntimeException when the message cannot even be handed to the client (the broker is unreachable)
     */
    CompletableFuture<?> send(OutgoingMessage message);
}
