package io.github.compensation.messaging;

/**
 * Names of the headers every message carries (clause M3), on Kafka as record headers and on RabbitMQ as message
 * headers. Consumers use {@link #IDEMPOTENCY_KEY} to drop a message they have already handled.
 */
public final class MessageHeaders {

    /** Header names starting with this are set by the dispatcher and refused in {@link Message#headers()}. */
    public static final String RESERVED_PREFIX = "compensation-";

    /**
     * The command's idempotency key: the same on every attempt to deliver the same message, different for every
     * message registered. Without the journal it is {@code <scope id>:<n>}, where {@code n} counts the messages sent
     * in that scope from 1. On RabbitMQ it is also the message id.
     */
    public static final String IDEMPOTENCY_KEY = "compensation-idempotency-key";

    /** The id of the scope whose commit the message announces, as in its report and logs. */
    public static final String SCOPE_ID = "compensation-scope-id";

    /** What the payload is: the payload's class name unless the message says otherwise. */
    public static final String PAYLOAD_TYPE = "compensation-payload-type";

    /** The message's key, on RabbitMQ (Kafka carries it as the record key). */
    public static final String MESSAGE_KEY = "compensation-message-key";

    /** The content type of every payload. */
    public static final String JSON = "application/json";

    private MessageHeaders() {
    }
}
