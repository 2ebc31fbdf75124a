package io.github.compensation.kafka.autoconfigure;

import io.github.compensation.kafka.KafkaMessageTransport;
import io.github.compensation.messaging.autoconfigure.MessagingAutoConfiguration;
import io.github.compensation.messaging.autoconfigure.MessagingProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Defines the {@link KafkaMessageTransport} when Spring for Apache Kafka is on the class path and the application has
 * one {@link KafkaTemplate} (Spring Boot's, or its own); the {@code MessageDispatcher} then sends
 * {@code Destination.kafka(...)} messages through it. Backs off when the application defines its own transport.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        before = MessagingAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(MessagingProperties.class)
public final class KafkaMessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(KafkaTemplate.class)
    static KafkaMessageTransport kafkaMessageTransport(KafkaTemplate<?, ?> kafkaTemplate,
            MessagingProperties properties) {
        return new KafkaMessageTransport(kafkaTemplate, properties.sendTimeout());
    }
}
