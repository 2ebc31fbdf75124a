package io.github.compensation.messaging.autoconfigure;

import io.github.compensation.journal.CommandHandlerRegistry;
import io.github.compensation.journal.DurableDispatchCommands;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageEncoder;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.journal.JournalMessageDispatcher;
import io.github.compensation.messaging.journal.MessageOutboxHandler;
import io.github.compensation.messaging.journal.MessagingJournalSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * With the journal switched on ({@code compensation-journal} on the class path, {@code compensation.journal.enabled})
 * and a broker module present, defines the {@link MessageDispatcher} that writes messages to the journal's outbox
 * (clause M2), the handler that sends them, and applies {@code compensation.messaging.dead-message-blocks-key} to the
 * journal. {@link MessagingAutoConfiguration}'s dispatcher, which sends after commit without the journal, then backs
 * off. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {"io.github.compensation.journal.autoconfigure.JournalAutoConfiguration",
        "io.github.compensation.kafka.autoconfigure.KafkaMessagingAutoConfiguration",
        "io.github.compensation.amqp.autoconfigure.RabbitMessagingAutoConfiguration",
        "io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"},
        before = MessagingAutoConfiguration.class)
@ConditionalOnClass(DurableDispatchCommands.class)
@EnableConfigurationProperties(MessagingProperties.class)
public final class JournalMessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({DurableDispatchCommands.class, MessageTransport.class})
    static MessageDispatcher journalMessageDispatcher(DurableDispatchCommands dispatchCommands,
            ObjectProvider<MessageTransport> transports, ObjectProvider<JsonMapper> jsonMapper) {
        return new JournalMessageDispatcher(dispatchCommands, transports.orderedStream().toList(),
                new MessageEncoder(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build())));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({CommandHandlerRegistry.class, MessageTransport.class})
    static MessageOutboxHandler compensationMessageOutboxHandler(CommandHandlerRegistry handlers,
            ObjectProvider<MessageTransport> transports, MessagingProperties properties) {
        MessageOutboxHandler handler = new MessageOutboxHandler(transports.orderedStream().toList(),
                properties.sendTimeout());
        handler.registerWith(handlers);
        return handler;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DurableDispatchCommands.class)
    static MessagingJournalSettings compensationMessagingJournalSettings(MessagingProperties properties) {
        return new MessagingJournalSettings(properties.deadMessageBlocksKey());
    }
}
