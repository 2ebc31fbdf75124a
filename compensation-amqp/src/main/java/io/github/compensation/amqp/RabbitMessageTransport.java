package io.github.compensation.amqp;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.MessageSendException;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends messages to RabbitMQ exchanges through the application's {@link RabbitTemplate} (clause M1). A send completes
 * once the broker confirmed the message (publisher confirms) and did not return it: a message that no queue takes is
 * returned by the broker (the template publishes with {@code mandatory}) and counts as failed, as does a negative
 * confirm.
 *
 * <p>So the template's connection factory must have correlated publisher confirms and returns, and the template must
 * publish with {@code mandatory}; with Spring Boot:
 *
 * <pre>
 * spring.rabbitmq.publisher-confirm-type=correlated
 * spring.rabbitmq.publisher-returns=true      # also makes Boot's template mandatory
 * </pre>
 *
 * Without them the start fails with a message that says so (E3). Messages are persistent, have content type
 * {@code application/json}, the idempotency key as message id, and the headers of {@link MessageHeaders} (the key in
 * {@value MessageHeaders#MESSAGE_KEY}).
 *
 * <p>Thread-safe.
 */
public final class RabbitMessageTransport implements MessageTransport {

    private final RabbitTemplate template;

    /**
     * A transport over the application's template.
     *
     * @param template the template, with confirms, returns and mandatory as described above
     * @throws IllegalStateException when confirms, returns or mandatory are missing (E3)
     */
    public RabbitMessageTransport(RabbitTemplate template) {
        this.template = template;
        List<String> missing = new ArrayList<>();
        ConnectionFactory connectionFactory = template.getConnectionFactory();
        if (!connectionFactory.isPublisherConfirms()) {
            missing.add("spring.rabbitmq.publisher-confirm-type=correlated");
        }
        if (!connectionFactory.isPublisherReturns()) {
            missing.add("spring.rabbitmq.publisher-returns=true");
        }
        Boolean mandatory = template.isMandatoryFor(new Message(new byte[0], new MessageProperties()));
        if (!Boolean.TRUE.equals(mandatory)) {
            missing.add("spring.rabbitmq.template.mandatory=true");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("compensation-amqp counts a message as sent only once RabbitMQ confirmed"
                    + " and routed it, which needs publisher confirms and returns on the RabbitTemplate's connection"
                    + " factory and mandatory publishing: set " + String.join(", ", missing)
                    + " (or configure your own RabbitTemplate and CachingConnectionFactory that way)");
        }
    }

    @Override
    public String brokerName() {
        return "RabbitMQ";
    }

    @Override
    public boolean supports(Destination destination) {
        return destination instanceof Destination.RabbitExchange;
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage message) {
        if (!(message.destination() instanceof Destination.RabbitExchange exchange)) {
            throw new IllegalArgumentException("Not a RabbitMQ destination: " + message.destination());
        }
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageHeaders.JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(message.idempotencyKey());
        message.headers().forEach(properties::setHeader);
        if (message.key() != null) {
            properties.setHeader(MessageHeaders.MESSAGE_KEY, message.key());
        }
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        template.send(exchange.exchange(), exchange.routingKey(), new Message(message.payload(), properties),
                correlation);
        return correlation.getFuture().thenAccept(confirm -> {
            if (!confirm.ack()) {
                throw new MessageSendException("RabbitMQ refused message " + message.idempotencyKey() + " for "
                        + exchange + ": " + confirm.reason());
            }
            ReturnedMessage returned = correlation.getReturned();
            if (returned != null) {
                throw new MessageSendException("RabbitMQ returned message " + message.idempotencyKey() + " for "
                        + exchange + " as unroutable (" + returned.getReplyCode() + " " + returned.getReplyText()
                        + "): no queue is bound for it");
            }
        });
    }

    @Override
    public String toString() {
        ConnectionFactory connectionFactory = template.getConnectionFactory();
        return "RabbitMessageTransport[" + connectionFactory.getHost() + ":" + connectionFactory.getPort() + "]";
    }
}
