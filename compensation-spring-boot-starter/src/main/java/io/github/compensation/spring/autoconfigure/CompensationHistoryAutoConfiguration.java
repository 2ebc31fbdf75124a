package io.github.compensation.spring.autoconfigure;

import io.github.compensation.store.InMemoryScopeStore;
import io.github.compensation.store.ScopeStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Keeps recent scopes and those needing a person in memory (clause O1), for the {@code compensations} endpoint and the
 * attention gauges: an {@link InMemoryScopeStore}, which the template receives as a scope listener. Backs off when the
 * application (or the journal) defines its own {@link ScopeStore}; switched off with
 * {@code compensation.history.enabled=false}.
 */
@AutoConfiguration(after = CompensationAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "compensation.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "compensation.history.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CompensationHistoryProperties.class)
public final class CompensationHistoryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ScopeStore.class)
    static InMemoryScopeStore compensationScopeStore(CompensationHistoryProperties properties) {
        return new InMemoryScopeStore(properties.size(), properties.attentionSize(), Clock.systemUTC());
    }
}
