package io.github.compensation.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a {@link Message} into the {@link OutgoingMessage} that goes to the broker: the payload as JSON through the
 * application's {@link JsonMapper}, and the reserved headers (clause M3) before the application's own.
 *
 * <p>Thread-safe.
 */
public final class MessageEncoder {

    private final JsonMapper jsonMapper;

    /**
     * An encoder writing with the given mapper.
     *
     * @param jsonMapper the application's mapper
     */
    public MessageEncoder(JsonMapper jsonMapper) {
        this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
    }

    /**
     * Encodes a message.
     *
     * @param message        the message
     * @param idempotencyKey its command's idempotency key
     * @param scopeId        the id of the scope it belongs to
     * @return the message to send
     * @throws IllegalArgumentException when the payload cannot be written as JSON
     */
    public OutgoingMessage encode(Message message, String idempotencyKey, String scopeId) {
        byte[] json;
        try {
            json = jsonMapper.writeValueAsBytes(message.payload());
        }
        catch (JacksonException unwritable) {
            throw new IllegalArgumentException("The payload of the message to " + message.destination() + " ("
                    + message.payload().getClass().getName() + ") cannot be written as JSON: "
                    + unwritable.getOriginalMessage(), unwritable);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(MessageHeaders.IDEMPOTENCY_KEY, idempotencyKey);
        headers.put(MessageHeaders.SCOPE_ID, scopeId);
        headers.put(MessageHeaders.PAYLOAD_TYPE, message.effectivePayloadType());
        headers.putAll(message.headers());
        return new OutgoingMessage(message.destination(), message.key(), json, headers);
    }
}
