package io.github.compensation.messaging.journal;

import io.github.compensation.CommandHandle;
import io.github.compensation.CommandKind;
import io.github.compensation.journal.DurableDispatchCommands;
import io.github.compensation.messaging.Message;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageEncoder;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.MessageTransports;
import io.github.compensation.messaging.OutgoingMessage;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import java.util.List;
import java.util.Objects;

/**
 * The {@link MessageDispatcher} with the journal (clause M2): each message becomes an outbox row written in the
 * business transaction (a durable dispatch of the {@link MessageOutboxHandler}, ordered by the message's key),
 * delivered right after commit when no earlier message of its key is unfinished, and otherwise, or after a failure or
 * a crash, by the journal's workers in every instance, one message per key at a time, oldest first, until the broker
 * acknowledged it (at least once) or it is dead.
 *
 * <p>The idempotency key (M3) is the outbox row's id: the same on every attempt and in every instance. What the
 * service writes does not change: {@code messages.send(Message.of(...))}, as without the journal.
 *
 * <p>Thread-safe and stateless apart from its collaborators.
 */
public final class JournalMessageDispatcher implements MessageDispatcher {

    private final DurableDispatchCommands dispatch;
    private final List<MessageTransport> transports;
    private final MessageEncoder encoder;

    /**
     * A dispatcher.
     *
     * @param dispatch   the journal's dispatch commands
     * @param transports the brokers' transports; a message needs one that supports its destination
     * @param encoder    writes the payload and headers
     */
    public JournalMessageDispatcher(DurableDispatchCommands dispatch, List<MessageTransport> transports,
            MessageEncoder encoder) {
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch must not be null");
        this.transports = List.copyOf(transports);
        this.encoder = Objects.requireNonNull(encoder, "encoder must not be null");
    }

    @Override
    public CommandHandle send(Message message) {
        Objects.requireNonNull(message, "message must not be null");
        MessageTransports.forDestination(transports, message.destination());
        CompensationScope receiving = Compensations.receivingScope(CommandKind.DISPATCH);
        if (receiving == null) {
            throw new IllegalStateException("No compensation scope accepting dispatch commands is open on thread '"
                    + Thread.currentThread().getName() + "' to send " + message.destination()
                    + " after commit: annotate the calling method with @DispatchAfterCommit, or run the code through"
                    + " CompensationTemplate.execute(...)");
        }
        String scopeId = receiving.settlingScope().id();
        OutgoingMessage encoded = encoder.encode(message, "journal", scopeId);
        return dispatch.appendHandler(MessageOutboxHandler.NAME, JournaledMessage.of(encoded), encoded.describe(),
                message.key());
    }

    @Override
    public String toString() {
        return "JournalMessageDispatcher" + transports.stream().map(MessageTransport::brokerName).toList();
    }
}
