package io.github.compensation.amqp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.amqp.RabbitMessageTransport;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.autoconfigure.MessagingAutoConfiguration;
import io.github.compensation.messaging.testsupport.AutoConfiguredBeans;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * When the RabbitMQ transport is defined, the startup check of publisher confirms and returns (E3), and that its beans
 * back off. Nothing here connects to a broker.
 */
class RabbitMessagingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(RabbitAutoConfiguration.class, CompensationAutoConfiguration.class,
                    JacksonAutoConfiguration.class, RabbitMessagingAutoConfiguration.class,
                    MessagingAutoConfiguration.class));

    private final ApplicationContextRunner confirming = runner.withPropertyValues(
            "spring.rabbitmq.publisher-confirm-type=correlated", "spring.rabbitmq.publisher-returns=true");

    @Test
    void transportAndDispatcherAreDefinedWithBootsRabbitTemplate() {
        confirming.run(context -> assertThat(context).hasSingleBean(RabbitMessageTransport.class)
                .hasSingleBean(MessageDispatcher.class));
    }

    @Test
    void e3_withoutPublisherConfirmsAndReturnsTheStartFailsNamingThePropertiesToSet() {
        runner.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("spring.rabbitmq.publisher-confirm-type=correlated")
                .hasMessageContaining("spring.rabbitmq.publisher-returns=true")
                .hasMessageContaining("spring.rabbitmq.template.mandatory=true"));
        runner.withPropertyValues("spring.rabbitmq.publisher-confirm-type=correlated",
                "spring.rabbitmq.publisher-returns=true", "spring.rabbitmq.template.mandatory=false")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageNotContaining("publisher-confirm-type")
                        .hasMessageContaining("spring.rabbitmq.template.mandatory=true"));
    }

    @Test
    void nothingWithoutSpringAmqp() {
        confirming.withClassLoader(new FilteredClassLoader(RabbitTemplate.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(RabbitMessageTransport.class)
                        .doesNotHaveBean(MessageDispatcher.class));
    }

    @Test
    void everyAutoConfiguredBeanBacksOff() {
        AutoConfiguredBeans.backOff(confirming, RabbitMessagingAutoConfiguration.class, "rabbitMessageTransport");
    }
}
