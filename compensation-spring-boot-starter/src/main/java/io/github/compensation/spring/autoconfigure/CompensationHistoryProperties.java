package io.github.compensation.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code compensation.history.*}: the scopes kept in memory for the {@code compensations} endpoint and
 * the attention gauges when no journal is configured (clause O1).
 *
 * @param enabled       whether to keep scopes in memory at all
 * @param size          how many of the most recent scopes that need nobody to keep
 * @param attentionSize how many scopes that need a person to keep at most, with their commands so that they can be
 *                      retried; beyond that the oldest is dropped with a warning
 */
@ConfigurationProperties("compensation.history")
public record CompensationHistoryProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100") int size,
        @DefaultValue("1000") int attentionSize) {

    /**
     * Validates the values.
     */
    public CompensationHistoryProperties {
        if (size < 0) {
            throw new IllegalArgumentException("compensation.history.size must not be negative, but was " + size);
        }
        if (attentionSize < 1) {
            throw new IllegalArgumentException("compensation.history.attention-size must be at least 1, but was "
                    + attentionSize + "; set compensation.history.enabled=false to keep nothing");
        }
    }
}
