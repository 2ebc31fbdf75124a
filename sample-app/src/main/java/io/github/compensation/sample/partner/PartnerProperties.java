package io.github.compensation.sample.partner;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code sample.partners}. The base URLs are not bound here: they default to this application's own
 * port, known only once the server started, so the clients resolve them on first use (see
 * {@code PartnerClientsConfiguration}).
 *
 * @param connectTimeout how long a client waits to connect
 * @param readTimeout    how long a client waits for a reply before it gives up
 * @param slowReply      how long a partner asked to simulate {@link FailureMode#TIMEOUT} delays its reply
 */
@ConfigurationProperties("sample.partners")
public record PartnerProperties(@DefaultValue("1s") Duration connectTimeout, @DefaultValue("1s") Duration readTimeout,
                                @DefaultValue("2s") Duration slowReply) {
}
