package io.github.compensation.messaging.journal;

import io.github.compensation.journal.CommandHandlerRegistry;
import io.github.compensation.journal.IdempotencyKey;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.MessageTransports;
import io.github.compensation.messaging.OutgoingMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Sends the messages of outbox rows (clause M2): the journal's handler named {@value #NAME}. It adds the row's
 * idempotency key as the {@code compensation-idempotency-key} header (M3) and hands the message to the transport for
 * its destination without waiting: the journal's worker starts a whole batch of sends before it waits for the
 * brokers' acknowledgements; right after commit, the committing scope waits for its own. The returned stage completes
 * once the broker acknowledged the message, or fails after the send timeout.
 *
 * <p>Thread-safe.
 */
public final class MessageOutboxHandler implements CommandHandlerRegistry.AsyncHandler<JournaledMessage> {

    /** The name outbox rows of messages call; keep it as long as such rows may exist. */
    public static final String NAME = "compensation.message";

    private final List<MessageTransport> transports;
    private final Duration sendTimeout;

    /**
     * A handler.
     *
     * @param transports  the brokers' transports
     * @param sendTimeout how long a broker may take to acknowledge a message
     */
    public MessageOutboxHandler(List<MessageTransport> transports, Duration sendTimeout) {
        this.transports = List.copyOf(transports);
        this.sendTimeout = Objects.requireNonNull(sendTimeout, "sendTimeout must not be null");
    }

    /**
     * Registers this handler under {@value #NAME}.
     *
     * @param registry the journal's handlers
     */
    public void registerWith(CommandHandlerRegistry registry) {
        registry.registerAsync(NAME, JournaledMessage.class, this);
    }

    @Override
    public CompletionStage<?> start(JournaledMessage stored) {
        OutgoingMessage message = stored.toOutgoing(IdempotencyKey.require());
        MessageTransport transport = MessageTransports.forDestination(transports, message.destination());
        return MessageTransports.sendAcknowledged(transport, message, sendTimeout);
    }

    @Override
    public String toString() {
        return "MessageOutboxHandler" + transports.stream().map(MessageTransport::brokerName).toList();
    }
}
