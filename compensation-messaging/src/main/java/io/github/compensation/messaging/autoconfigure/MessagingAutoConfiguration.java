package io.github.compensation.messaging.autoconfigure;

import io.github.compensation.DispatchCommands;
import io.github.compensation.messaging.AfterCommitMessageDispatcher;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageEncoder;
import io.github.compensation.messaging.MessageTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Defines the {@link MessageDispatcher} when the compensation starter's {@link DispatchCommands} and at least one
 * {@link MessageTransport} (from {@code compensation-kafka} or {@code compensation-amqp}) are there. Payloads are written
 * with the application's {@link JsonMapper} bean, or a default mapper when there is none. Every bean backs off when
 * the application defines its own of the same type.
 */
@AutoConfiguration(afterName = {"io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@EnableConfigurationProperties(MessagingProperties.class)
public final class MessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({DispatchCommands.class, MessageTransport.class})
    static MessageDispatcher messageDispatcher(DispatchCommands dispatchCommands,
            ObjectProvider<MessageTransport> transports, ObjectProvider<JsonMapper> jsonMapper,
            MessagingProperties properties) {
        return new AfterCommitMessageDispatcher(dispatchCommands, transports.orderedStream().toList(),
                new MessageEncoder(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build())),
                properties.sendTimeout());
    }
}
