package io.github.compensation.spring.autoconfigure;

import io.github.compensation.spring.operations.CompensationsEndpoint;
import io.github.compensation.store.ScopeStore;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code compensations} Actuator endpoint (clause O1), present when Spring Boot Actuator is on the classpath, a
 * {@link ScopeStore} exists, and the endpoint is available: its access is not {@code none} and it is exposed
 * ({@code management.endpoints.web.exposure.include=compensations}, or {@code *}). With
 * {@code compensation.operations.page.enabled=true} it also serves the operator page to browsers (clause O4).
 */
@AutoConfiguration(after = CompensationHistoryAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@EnableConfigurationProperties(CompensationOperationsProperties.class)
public final class CompensationEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ScopeStore.class)
    @ConditionalOnAvailableEndpoint(CompensationsEndpoint.class)
    static CompensationsEndpoint compensationsEndpoint(ScopeStore store, CompensationOperationsProperties properties) {
        return new CompensationsEndpoint(store, properties.page().enabled());
    }
}
