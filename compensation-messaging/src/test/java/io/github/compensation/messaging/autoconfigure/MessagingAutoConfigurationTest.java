package io.github.compensation.messaging.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.testsupport.AutoConfiguredBeans;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the {@link MessageDispatcher} is defined, its settings, and that its beans back off. */
class MessagingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(CompensationAutoConfiguration.class, JacksonAutoConfiguration.class,
                    MessagingAutoConfiguration.class));

    private final ApplicationContextRunner withTransport = runner.withBean(MessageTransport.class,
            () -> Mockito.mock(MessageTransport.class));

    @Test
    void dispatcherIsDefinedWhenABrokerModuleProvidesATransport() {
        withTransport.run(context -> {
            assertThat(context).hasSingleBean(MessageDispatcher.class);
            assertThat(context.getBean(MessagingProperties.class).sendTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void noDispatcherWithoutATransportOrWithCompensationSwitchedOff() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MessageDispatcher.class));
        withTransport.withPropertyValues("compensation.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MessageDispatcher.class));
    }

    @Test
    void e3_sendTimeoutThatIsNotPositiveStopsTheStartNamingTheProperty() {
        withTransport.withPropertyValues("compensation.messaging.send-timeout=0s").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("compensation.messaging.send-timeout must be positive"));
    }

    @Test
    void e3_theJarDescribesTheSendTimeoutForIdes() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json, written by spring-boot-configuration-processor")
                    .isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("\"compensation.messaging.send-timeout\"");
        }
    }

    @Test
    void everyAutoConfiguredBeanBacksOff() {
        AutoConfiguredBeans.backOff(withTransport, MessagingAutoConfiguration.class, "messageDispatcher");
    }
}
