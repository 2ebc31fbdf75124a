package io.github.compensation.sample.trip;

import io.github.compensation.messaging.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code rabbit} profile's consumer: declares the exchange {@code trips} and the queue {@code trip-notifications}
 * bound to it with {@code trip.booked}, and records a notification for every {@link TripBooked} that arrives there.
 */
@Configuration(proxyBeanMethods = false)
@Profile("rabbit")
class RabbitTripNotifications {

    static final String EXCHANGE = "trips";
    static final String QUEUE = "trip-notifications";
    private static final Logger log = LoggerFactory.getLogger(RabbitTripNotifications.class);

    private final TripNotifications notifications;
    private final JsonMapper json;

    RabbitTripNotifications(TripNotifications notifications, JsonMapper json) {
        this.notifications = notifications;
        this.json = json;
    }

    @Bean
    TopicExchange tripsExchange() {
        return new TopicExchange(EXCHANGE);
    }

    @Bean
    Queue tripNotificationsQueue() {
        return new Queue(QUEUE);
    }

    @Bean
    Binding tripBookedBinding(TopicExchange tripsExchange, Queue tripNotificationsQueue) {
        return BindingBuilder.bind(tripNotificationsQueue).to(tripsExchange).with("trip.booked");
    }

    @RabbitListener(queues = QUEUE)
    void on(Message message) {
        TripBooked event = json.readValue(message.getBody(), TripBooked.class);
        log.info("TripBooked {} from RabbitMQ, idempotency key {}", event.bookingRef(),
                message.getMessageProperties().<String>getHeader(MessageHeaders.IDEMPOTENCY_KEY));
        notifications.record(event);
    }
}
