package io.github.compensation.amqp.outbox;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.OutgoingMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The real RabbitMQ transport that stops the JVM's progress at its first send, after printing {@code POINT ...} for
 * the test that then kills the JVM with SIGKILL: {@code before-send} before the message reaches the broker,
 * {@code after-ack} once the broker confirmed it, before the journal could record it.
 */
final class HaltingTransport implements MessageTransport {

    private final MessageTransport real;
    private final String when;

    HaltingTransport(MessageTransport real, String when) {
        this.real = real;
        this.when = when;
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
        if ("after-ack".equals(when)) {
            real.send(message).join();
        }
        System.out.println("POINT " + when + " " + message.idempotencyKey());
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            }
            catch (InterruptedException ignored) {
                // stay here until killed
            }
        }
    }
}
