package io.github.compensation.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code compensation.operations.*}: what the {@code compensations} endpoint offers besides its JSON
 * and text answers.
 *
 * @param page the operator page (clause O4)
 */
@ConfigurationProperties("compensation.operations")
public record CompensationOperationsProperties(@DefaultValue Page page) {

    /**
     * The operator page: served by the {@code compensations} endpoint itself to browsers ({@code Accept: text/html}),
     * so it is reachable exactly where and by whom the endpoint is.
     *
     * @param enabled whether to serve it; off by default
     */
    public record Page(@DefaultValue("false") boolean enabled) {
    }
}
