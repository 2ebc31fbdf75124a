package io.github.compensation.messaging.journal;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message as its outbox row keeps it (clause M2): the destination, the key, the JSON payload and the headers, all
 * strings, written as the payload of the journal's message handler. The idempotency key is not among the headers: it
 * is the outbox row's id, the same on every delivery attempt and in every instance (J4, M3), and is added when the
 * message is sent.
 *
 * <p>Immutable and thread-safe.
 *
 * @param broker     {@code "kafka"} or {@code "rabbit"}
 * @param name       the Kafka topic, or the RabbitMQ exchange
 * @param routingKey the RabbitMQ routing key; {@code null} for Kafka
 * @param key        the message's key, or {@code null}
 * @param payload    the JSON payload
 * @param headers    every header but the idempotency key, in the order they are sent
 */
public record JournaledMessage(String broker, String name, @Nullable String routingKey, @Nullable String key,
                               String payload, Map<String, String> headers) {

    private static final String KAFKA = "kafka";
    private static final String RABBIT = "rabbit";

    /**
     * Checks the arguments and copies the headers.
     *
     * @param broker     the broker kind
     * @param name       topic or exchange
     * @param routingKey the routing key, or {@code null}
     * @param key        the key, or {@code null}
     * @param payload    the JSON payload
     * @param headers    the headers
     */
    public JournaledMessage {
        Objects.requireNonNull(broker, "broker must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers,
                "headers must not be null")));
    }

    /**
     * The stored form of an encoded message, without its idempotency key.
     *
     * @param message the message as encoded at registration
     * @return the stored form
     */
    public static JournaledMessage of(OutgoingMessage message) {
        Map<String, String> headers = new LinkedHashMap<>(message.headers());
        headers.remove(MessageHeaders.IDEMPOTENCY_KEY);
        String payload = new String(message.payload(), StandardCharsets.UTF_8);
        if (message.destination() instanceof Destination.KafkaTopic topic) {
            return new JournaledMessage(KAFKA, topic.topic(), null, message.key(), payload, headers);
        }
        Destination.RabbitExchange exchange = (Destination.RabbitExchange) message.destination();
        return new JournaledMessage(RABBIT, exchange.exchange(), exchange.routingKey(), message.key(), payload,
                headers);
    }

    /**
     * The destination.
     *
     * @return where the message goes
     * @throws IllegalStateException when the stored broker kind is unknown
     */
    public Destination destination() {
        if (KAFKA.equals(broker)) {
            return Destination.kafka(name);
        }
        if (RABBIT.equals(broker)) {
            return Destination.rabbit(name, Objects.requireNonNullElse(routingKey, ""));
        }
        throw new IllegalStateException("Unknown broker '" + broker + "' in a journaled message");
    }

    /**
     * The message to send, with the idempotency key first among its headers.
     *
     * @param idempotencyKey the outbox row's id
     * @return the message
     */
    public OutgoingMessage toOutgoing(String idempotencyKey) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(MessageHeaders.IDEMPOTENCY_KEY, idempotencyKey);
        all.putAll(headers);
        return new OutgoingMessage(destination(), key, payload.getBytes(StandardCharsets.UTF_8), all);
    }
}
