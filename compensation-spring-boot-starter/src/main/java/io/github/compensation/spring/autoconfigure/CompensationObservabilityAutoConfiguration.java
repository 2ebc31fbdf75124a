package io.github.compensation.spring.autoconfigure;

import io.github.compensation.spring.observability.CompensationMetrics;
import io.github.compensation.spring.observability.ScopeContextRunnerDecorator;
import io.github.compensation.spring.observability.ScopeContextListener;
import io.github.compensation.spring.observability.ScopeObservationListener;
import io.github.compensation.store.ScopeStore;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Observability of scopes (clause O2), each part present when its library is: the scope id in the SLF4J MDC and the
 * tracing context carried into commands that run later (SLF4J, Micrometer context propagation), meters bound through
 * a {@link MeterBinder} (Micrometer), and an observation per scope (an {@link ObservationRegistry} bean, as Spring
 * Boot's observation support defines). Switched off with {@code compensation.observability.enabled=false}.
 */
@AutoConfiguration(after = CompensationHistoryAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "compensation.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "compensation.observability.enabled", matchIfMissing = true)
public final class CompensationObservabilityAutoConfiguration {

    /** MDC and context propagation into commands. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MDC.class)
    static class ContextConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static ScopeContextListener compensationScopeContextListener() {
            return new ScopeContextListener();
        }

        @Bean
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static ScopeContextRunnerDecorator compensationScopeContextRunnerDecorator() {
            return new ScopeContextRunnerDecorator();
        }
    }

    /** Meters, with Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static CompensationMetrics compensationMetrics(ObjectProvider<ScopeStore> store) {
            return new CompensationMetrics(store.getIfAvailable());
        }
    }

    /** An observation per scope, with an observation registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static ScopeObservationListener compensationScopeObservationListener(ObservationRegistry registry) {
            return new ScopeObservationListener(registry);
        }
    }
}
