package io.github.compensation.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message to send after commit: a destination, an optional key, a payload written as JSON, and headers of the
 * application's own (clause M1). The key is the Kafka record key (it picks the partition) and travels in the
 * {@value MessageHeaders#MESSAGE_KEY} header on RabbitMQ; it is what messages are ordered by once the journal delivers
 * them (M2).
 *
 * <pre>{@code
 * messages.send(Message.of(Destination.kafka("trips"), trip.id(), new TripBooked(trip.id())));
 * messages.send(Message.of(Destination.rabbit("trips", "trip.booked"), trip.id(), event).withHeader("tenant", "acme"));
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return a copy. The payload is written when the message is
 * sent, so it should not change afterwards. Arguments must not be {@code null} unless marked so.
 *
 * @param destination where it goes
 * @param key         the ordering and partitioning key, or {@code null} for none
 * @param payload     the payload, written as JSON with the application's {@code JsonMapper}
 * @param payloadType the value of the {@value MessageHeaders#PAYLOAD_TYPE} header; {@code null} means the payload's
 *                    class name
 * @param headers     headers of the application's own, sent as they are (names starting with {@code compensation-}
 *                    are reserved)
 */
public record Message(Destination destination, @Nullable String key, Object payload, @Nullable String payloadType,
                      Map<String, String> headers) {

    /**
     * Checks the arguments and copies the headers.
     *
     * @param destination where it goes
     * @param key         the key, or {@code null}
     * @param payload     the payload
     * @param payloadType the payload type header's value, or {@code null} for the payload's class name
     * @param headers     the application's headers
     */
    public Message {
        Objects.requireNonNull(destination, "destination must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(headers, "headers must not be null");
        for (String name : headers.keySet()) {
            if (name.startsWith(MessageHeaders.RESERVED_PREFIX)) {
                throw new IllegalArgumentException("header '" + name + "' is reserved: names starting with '"
                        + MessageHeaders.RESERVED_PREFIX + "' are set by the dispatcher");
            }
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * A message with a key.
     *
     * @param destination where it goes
     * @param key         the ordering and partitioning key
     * @param payload     the payload
     * @return the message
     */
    public static Message of(Destination destination, String key, Object payload) {
        Objects.requireNonNull(key, "key must not be null (use Message.of(destination, payload) for no key)");
        return new Message(destination, key, payload, null, Map.of());
    }

    /**
     * A message without a key: Kafka spreads such messages over partitions, and the journal will not order them.
     *
     * @param destination where it goes
     * @param payload     the payload
     * @return the message
     */
    public static Message of(Destination destination, Object payload) {
        return new Message(destination, null, payload, null, Map.of());
    }

    /**
     * This message with one more header of the application's own.
     *
     * @param name  the header's name, not starting with {@code compensation-}
     * @param value its value
     * @return a copy with the header
     */
    public Message withHeader(String name, String value) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(value, "value must not be null");
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Message(destination, key, payload, payloadType, more);
    }

    /**
     * This message with another value for the {@value MessageHeaders#PAYLOAD_TYPE} header, e.g. a stable event name
     * instead of a Java class name.
     *
     * @param type the payload type
     * @return a copy with that payload type
     */
    public Message withPayloadType(String type) {
        Objects.requireNonNull(type, "type must not be null");
        return new Message(destination, key, payload, type, headers);
    }

    /**
     * The payload type header's value: the one set, or the payload's class name.
     *
     * @return the payload type
     */
    public String effectivePayloadType() {
        return payloadType != null ? payloadType : payload.getClass().getName();
    }
}
