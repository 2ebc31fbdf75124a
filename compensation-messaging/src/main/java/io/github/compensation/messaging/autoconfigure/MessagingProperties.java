package io.github.compensation.messaging.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of messages sent after commit, under {@code compensation.messaging}. Immutable.
 *
 * @param sendTimeout          how long a message waits for the broker's acknowledgement before its dispatch command
 *                             counts as failed (clause D3); Kafka's producer also waits at most this long for the
 *                             broker's metadata
 * @param deadMessageBlocksKey with the journal: whether a dead message keeps the later messages of its key waiting
 *                             until a person retries or resolves it (M2, the default), or lets them go on
 */
@ConfigurationProperties("compensation.messaging")
public record MessagingProperties(@DefaultValue("10s") Duration sendTimeout,
                                  @DefaultValue("true") boolean deadMessageBlocksKey) {

    /**
     * Checks the timeout (E3).
     *
     * @param sendTimeout          the send timeout
     * @param deadMessageBlocksKey whether a dead message blocks its key
     */
    public MessagingProperties {
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("compensation.messaging.send-timeout must be positive, not "
                    + sendTimeout);
        }
    }
}
