package io.github.compensation.amqp.outbox;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageSendException;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.OutgoingMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real RabbitMQ transport with failures injected at random: of the given share of sends, half are refused before
 * they reach the broker, half reach it and then report a lost acknowledgement (so the outbox sends them again: the
 * duplicates that at-least-once delivery allows).
 */
final class FailingTransport implements MessageTransport {

    private final MessageTransport real;
    private final double rate;
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger acknowledgementsLost = new AtomicInteger();

    FailingTransport(MessageTransport real, double rate) {
        this.real = real;
        this.rate = rate;
    }

    @Override
    public String brokerName() {
        return real.brokerName();
    }

    @Override
    public boolean supports(Destination destination) {
        return real.supports(destination);
    }

    @Override
    public CompletableFuture<?> send(OutgoingMessage message) {
        double draw = ThreadLocalRandom.current().nextDouble();
        if (draw < rate / 2) {
            refused.incrementAndGet();
            throw new MessageSendException("injected: the broker refused " + message.idempotencyKey());
        }
        CompletableFuture<?> sent = real.send(message);
        if (draw < rate) {
            acknowledgementsLost.incrementAndGet();
            return sent.thenCompose(ack -> CompletableFuture.failedFuture(
                    new MessageSendException("injected: acknowledgement of " + message.idempotencyKey() + " lost")));
        }
        return sent;
    }
}
