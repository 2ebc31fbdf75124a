package io.github.compensation.kafka.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.kafka.KafkaMessageTransport;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.autoconfigure.MessagingAutoConfiguration;
import io.github.compensation.messaging.testsupport.AutoConfiguredBeans;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * When the Kafka transport is defined, the startup check of {@code acks} (E3), and that its beans back off. Nothing
 * here connects to a broker.
 */
class KafkaMessagingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(KafkaAutoConfiguration.class, CompensationAutoConfiguration.class,
                    JacksonAutoConfiguration.class, KafkaMessagingAutoConfiguration.class,
                    MessagingAutoConfiguration.class));

    @Test
    void transportAndDispatcherAreDefinedWithBootsKafkaTemplate() {
        runner.run(context -> assertThat(context).hasSingleBean(KafkaMessageTransport.class)
                .hasSingleBean(MessageDispatcher.class));
    }

    @Test
    void e3_producerWithAcksZeroStopsTheStartSayingWhatToSet() {
        runner.withPropertyValues("spring.kafka.producer.acks=0").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("acks=0").hasMessageContaining("spring.kafka.producer.acks=all"));
    }

    @Test
    void nothingWithoutSpringKafka() {
        runner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(KafkaMessageTransport.class)
                        .doesNotHaveBean(MessageDispatcher.class));
    }

    @Test
    void everyAutoConfiguredBeanBacksOff() {
        AutoConfiguredBeans.backOff(runner, KafkaMessagingAutoConfiguration.class, "kafkaMessageTransport");
    }
}
