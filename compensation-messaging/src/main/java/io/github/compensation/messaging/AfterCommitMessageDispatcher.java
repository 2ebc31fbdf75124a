package io.github.compensation.messaging;

import io.github.compensation.CommandHandle;
import io.github.compensation.CommandKind;
import io.github.compensation.DispatchCommands;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link MessageDispatcher} without the journal (clause M1): each message becomes an in-memory dispatch command that,
 * after commit, sends the message through the {@link MessageTransport} for its destination and waits for the broker's
 * acknowledgement, at most the send timeout. Nothing is stored: a crash between commit and acknowledgement loses the
 * message (the journal's outbox is what survives that).
 *
 * <p>The idempotency key (M3) is {@code <scope id>:<n>}: the id of the scope that settles the command (the outermost
 * one it joins, as in the report) and the message's position among the messages sent in that scope, from 1. Retries
 * of the command ({@code compensation.retry.*}) send the same key.
 *
 * <p>Thread-safe and stateless apart from its collaborators.
 */
public final class AfterCommitMessageDispatcher implements MessageDispatcher {

    private static final String SEQUENCE = AfterCommitMessageDispatcher.class.getName() + ".sequence";

    private final DispatchCommands dispatch;
    private final List<MessageTransport> transports;
    private final MessageEncoder encoder;
    private final Duration sendTimeout;

    /**
     * A dispatcher.
     *
     * @param dispatch    the dispatch queue the commands are registered in
     * @param transports  the brokers' transports; each message goes to the first that supports its destination
     * @param encoder     writes the payload and headers
     * @param sendTimeout how long a send waits for the broker's acknowledgement before it counts as failed
     */
    public AfterCommitMessageDispatcher(DispatchCommands dispatch, List<MessageTransport> transports,
            MessageEncoder encoder, Duration sendTimeout) {
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch must not be null");
        this.transports = List.copyOf(transports);
        this.encoder = Objects.requireNonNull(encoder, "encoder must not be null");
        this.sendTimeout = Objects.requireNonNull(sendTimeout, "sendTimeout must not be null");
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("sendTimeout must be positive, not " + sendTimeout);
        }
    }

    @Override
    public CommandHandle send(Message message) {
        Objects.requireNonNull(message, "message must not be null");
        MessageTransport transport = transportFor(message.destination());
        CompensationScope receiving = Compensations.receivingScope(CommandKind.DISPATCH);
        if (receiving == null) {
            throw new IllegalStateException("No compensation scope accepting dispatch commands is open on thread '"
                    + Thread.currentThread().getName() + "' to send " + message.destination()
                    + " after commit: annotate the calling method with @DispatchAfterCommit, or run the code through"
                    + " CompensationTemplate.execute(...)");
        }
        CompensationScope settling = receiving.settlingScope();
        String idempotencyKey = settling.id() + ":" + nextPosition(settling);
        OutgoingMessage outgoing = encoder.encode(message, idempotencyKey, settling.id());
        return dispatch.append(outgoing.describe(), () -> deliver(transport, outgoing));
    }

    private MessageTransport transportFor(Destination destination) {
        return MessageTransports.forDestination(transports, destination);
    }

    private static int nextPosition(CompensationScope scope) {
        synchronized (scope) {
            AtomicInteger sequence = (AtomicInteger) scope.getAttribute(SEQUENCE);
            if (sequence == null) {
                sequence = new AtomicInteger();
                scope.setAttribute(SEQUENCE, sequence);
            }
            return sequence.incrementAndGet();
        }
    }

    private void deliver(MessageTransport transport, OutgoingMessage message) throws InterruptedException {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        CompletableFuture<?> acknowledged;
        try {
            acknowledged = transport.send(message);
        }
        catch (RuntimeException unreachable) {
            throw new MessageSendException(transport.brokerName() + " did not take message "
                    + message.idempotencyKey() + ": " + summary(unreachable), unreachable);
        }
        try {
            acknowledged.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException timeout) {
            throw new MessageSendException(transport.brokerName() + " did not acknowledge message "
                    + message.idempotencyKey() + " within " + sendTimeout + " (it may still arrive)");
        }
        catch (ExecutionException failed) {
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            if (cause instanceof MessageSendException refused) {
                throw refused;
            }
            throw new MessageSendException(transport.brokerName() + " did not acknowledge message "
                    + message.idempotencyKey() + ": " + summary(cause), cause);
        }
    }

    private static String summary(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String summary = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? summary : summary + " (" + root.getClass().getSimpleName() + ": " + root.getMessage()
                + ")";
    }

    @Override
    public String toString() {
        return "AfterCommitMessageDispatcher" + transports.stream().map(MessageTransport::brokerName).toList();
    }
}
