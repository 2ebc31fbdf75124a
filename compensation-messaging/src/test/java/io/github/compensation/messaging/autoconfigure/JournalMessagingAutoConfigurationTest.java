package io.github.compensation.messaging.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.journal.CommandHandlerRegistry;
import io.github.compensation.journal.Journal;
import io.github.compensation.journal.autoconfigure.JournalAutoConfiguration;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.journal.JournalMessageDispatcher;
import io.github.compensation.messaging.journal.MessageOutboxHandler;
import io.github.compensation.messaging.testsupport.AutoConfiguredBeans;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With the journal switched on, messages go through its outbox (M2): which beans, their settings, their back-off. */
class JournalMessagingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JournalAutoConfiguration.class,
                    CompensationAutoConfiguration.class, JacksonAutoConfiguration.class,
                    JournalMessagingAutoConfiguration.class, MessagingAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:journal-messaging;DB_CLOSE_DELAY=-1",
                    "compensation.journal.initialize-schema=true", "compensation.journal.worker=false")
            .withBean(MessageTransport.class, () -> Mockito.mock(MessageTransport.class));

    private final ApplicationContextRunner withJournal = runner.withPropertyValues("compensation.journal.enabled=true");

    @Test
    void m2_withTheJournalOnMessagesGoThroughItsOutboxAndTheHandlerIsRegistered() {
        withJournal.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MessageDispatcher.class)).isInstanceOf(JournalMessageDispatcher.class);
            assertThat(context.getBean(CommandHandlerRegistry.class).find(MessageOutboxHandler.NAME)).isNotNull();
            assertThat(context.getBean(Journal.class).settings().deadDispatchBlocksKey()).isTrue();
        });
    }

    @Test
    void m2_withTheJournalOffMessagesAreSentAfterCommitWithoutIt() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MessageOutboxHandler.class);
            assertThat(context.getBean(MessageDispatcher.class)).isNotInstanceOf(JournalMessageDispatcher.class);
        });
    }

    @Test
    void m2_aDeadMessageStopsBlockingItsKeyWhenConfiguredSo() {
        withJournal.withPropertyValues("compensation.messaging.dead-message-blocks-key=false").run(context ->
                assertThat(context.getBean(Journal.class).settings().deadDispatchBlocksKey()).isFalse());
    }

    @Test
    void everyAutoConfiguredBeanBacksOff() {
        AutoConfiguredBeans.backOff(withJournal, JournalMessagingAutoConfiguration.class, "journalMessageDispatcher",
                "compensationMessageOutboxHandler", "compensationMessagingJournalSettings");
    }
}
