package io.github.compensation.reactor.autoconfigure;

import io.github.compensation.reactor.CancellationPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code compensation.reactive.*}. Immutable.
 *
 * @param cancellationPolicy what a cancelled subscription does to its scope: {@code compensate} (the default) or
 *                           {@code report}
 */
@ConfigurationProperties("compensation.reactive")
public record CompensationReactorProperties(@DefaultValue("compensate") CancellationPolicy cancellationPolicy) {
}
