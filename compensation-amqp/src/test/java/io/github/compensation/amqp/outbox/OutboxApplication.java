package io.github.compensation.amqp.outbox;

import io.github.compensation.amqp.RabbitMessageTransport;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageTransport;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application of the outbox tests: RabbitMQ with confirms and returns, the journal switched on, polling often and
 * retrying soon. With {@code test.failing-sends=<rate>} its transport fails that share of the sends; with
 * {@code test.halt=before-send|after-ack} it stops dead in the first send (for the SIGKILL test).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class OutboxApplication {

    public static final String[] PROPERTIES = {
            "spring.rabbitmq.host=localhost", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
            "spring.rabbitmq.password=guest", "spring.rabbitmq.publisher-confirm-type=correlated",
            "spring.rabbitmq.publisher-returns=true", "spring.sql.init.mode=always",
            "spring.sql.init.schema-locations=classpath:trips.sql", "spring.main.banner-mode=off",
            "compensation.journal.enabled=true", "compensation.journal.initialize-schema=true",
            "compensation.journal.poll-interval=100ms", "compensation.journal.lease=10s",
            "compensation.journal.backoff.delay=50ms", "compensation.journal.backoff.multiplier=1.5",
            "compensation.journal.backoff.max-delay=500ms", "compensation.journal.dispatch.max-attempts=30",
            "compensation.messaging.send-timeout=3s"};

    @Bean
    OutboxTrips outboxTrips(JdbcTemplate jdbc, MessageDispatcher messages) {
        return new OutboxTrips(jdbc, messages);
    }

    @Bean
    @ConditionalOnProperty("test.failing-sends")
    MessageTransport failingTransport(RabbitTemplate rabbit, @Value("${test.failing-sends}") double rate) {
        return new FailingTransport(new RabbitMessageTransport(rabbit), rate);
    }

    @Bean
    @ConditionalOnProperty("test.halt")
    MessageTransport haltingTransport(RabbitTemplate rabbit, @Value("${test.halt}") String when) {
        return new HaltingTransport(new RabbitMessageTransport(rabbit), when);
    }
}
