package io.github.compensation.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * What both dispatchers do with the {@link MessageTransport}s: pick the one for a destination, and send a message so
 * that the returned future says, within the send timeout, whether the broker acknowledged it, failing with a
 * {@link MessageSendException} that names the broker and the idempotency key. Stateless.
 */
public final class MessageTransports {

    private MessageTransports() {
    }

    /**
     * The first transport that supports the destination.
     *
     * @param transports the application's transports
     * @param destination where a message goes
     * @return the transport
     * @throws IllegalArgumentException when none does, naming the module to add
     */
    public static MessageTransport forDestination(List<MessageTransport> transports, Destination destination) {
        for (MessageTransport transport : transports) {
            if (transport.supports(destination)) {
                return transport;
            }
        }
        String module = destination instanceof Destination.KafkaTopic ? "compensation-kafka (and a KafkaTemplate)"
                : "compensation-amqp (and a RabbitTemplate)";
        throw new IllegalArgumentException("No broker is configured for " + destination + ": add " + module
                + " to the application");
    }

    /**
     * Sends a message without waiting.
     *
     * @param transport the transport
     * @param message   the message
     * @param timeout   how long the broker may take to acknowledge it
     * @return completes once the broker acknowledged the message; exceptionally with a {@link MessageSendException}
     *         when the client did not take it, the broker refused or returned it, or did not answer within the timeout
     */
    public static CompletableFuture<Void> sendAcknowledged(MessageTransport transport, OutgoingMessage message,
            Duration timeout) {
        CompletableFuture<?> acknowledged;
        try {
            acknowledged = transport.send(message);
        }
        catch (RuntimeException unreachable) {
            return CompletableFuture.failedFuture(new MessageSendException(transport.brokerName()
                    + " did not take message " + message.idempotencyKey() + ": " + summary(unreachable), unreachable));
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        acknowledged.orTimeout(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
                .whenComplete((ignored, failure) -> {
                    if (failure == null) {
                        outcome.complete(null);
                        return;
                    }
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                            != null ? failure.getCause() : failure;
                    if (cause instanceof MessageSendException refused) {
                        outcome.completeExceptionally(refused);
                    }
                    else if (cause instanceof TimeoutException) {
                        outcome.completeExceptionally(new MessageSendException(transport.brokerName()
                                + " did not acknowledge message " + message.idempotencyKey() + " within " + timeout
                                + " (it may still arrive)"));
                    }
                    else {
                        outcome.completeExceptionally(new MessageSendException(transport.brokerName()
                                + " did not acknowledge message " + message.idempotencyKey() + ": " + summary(cause),
                                cause));
                    }
                });
        return outcome;
    }

    /** The exception's class and message, and its root cause's. */
    static String summary(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String summary = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? summary : summary + " (" + root.getClass().getSimpleName() + ": " + root.getMessage()
                + ")";
    }
}
