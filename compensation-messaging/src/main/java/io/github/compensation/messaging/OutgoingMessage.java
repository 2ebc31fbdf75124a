package io.github.compensation.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message as it goes to the broker: the payload already written as JSON, and every header set, the reserved ones
 * ({@link MessageHeaders}) included. It holds only strings and bytes, so that it can be stored (an outbox row) and sent
 * later, by another instance, exactly as it was registered. What a {@link MessageTransport} sends.
 *
 * <p>Immutable apart from the payload array, which nobody may change once the message exists; thread-safe.
 *
 * @param destination where it goes
 * @param key         the key, or {@code null}
 * @param payload     the JSON payload, UTF-8
 * @param headers     every header, in a stable order
 */
public record OutgoingMessage(Destination destination, @Nullable String key, byte[] payload,
                              Map<String, String> headers) {

    /**
     * Checks the arguments and copies the headers.
     *
     * @param destination where it goes
     * @param key         the key, or {@code null}
     * @param payload     the JSON payload
     * @param headers     every header; must contain {@link MessageHeaders#IDEMPOTENCY_KEY}
     */
    public OutgoingMessage {
        Objects.requireNonNull(destination, "destination must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(headers, "headers must not be null");
        if (!headers.containsKey(MessageHeaders.IDEMPOTENCY_KEY)) {
            throw new IllegalArgumentException("headers must contain " + MessageHeaders.IDEMPOTENCY_KEY);
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * The idempotency key this message carries (clause M3).
     *
     * @return the key
     */
    public String idempotencyKey() {
        return Objects.requireNonNull(headers.get(MessageHeaders.IDEMPOTENCY_KEY));
    }

    /**
     * A short description for reports and logs, e.g. {@code "TripBooked to kafka topic trips, key 42"}.
     *
     * @return the description
     */
    public String describe() {
        String type = headers.getOrDefault(MessageHeaders.PAYLOAD_TYPE, "message");
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return "send " + simple + " to " + destination + (key != null ? ", key " + key : "");
    }

    @Override
    public String toString() {
        return "OutgoingMessage[" + describe() + ", " + headers + ", " + payload.length + " bytes]";
    }
}
