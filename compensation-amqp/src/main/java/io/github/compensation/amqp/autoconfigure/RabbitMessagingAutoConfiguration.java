package io.github.compensation.amqp.autoconfigure;

import io.github.compensation.amqp.RabbitMessageTransport;
import io.github.compensation.messaging.autoconfigure.MessagingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Defines the {@link RabbitMessageTransport} when Spring AMQP is on the class path and the application has one
 * {@link RabbitTemplate} (Spring Boot's, or its own); the {@code MessageDispatcher} then sends
 * {@code Destination.rabbit(...)} messages through it. Backs off when the application defines its own transport.
 */
@AutoConfiguration(afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
        before = MessagingAutoConfiguration.class)
@ConditionalOnClass(RabbitTemplate.class)
public final class RabbitMessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(RabbitTemplate.class)
    static RabbitMessageTransport rabbitMessageTransport(RabbitTemplate rabbitTemplate) {
        return new RabbitMessageTransport(rabbitTemplate);
    }
}
