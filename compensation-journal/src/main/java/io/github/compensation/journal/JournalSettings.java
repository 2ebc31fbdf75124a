package io.github.compensation.journal;

import java.time.Duration;
import java.util.Objects;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How the journal behaves. Immutable.
 *
 * @param tablePrefix             prefix of the journal's tables (J5)
 * @param instanceId              this instance's name in claims and leases (J4); unique per running instance
 * @param lease                   how long a claim or an open scope is held without renewal before another instance
 *                                may take it over (J4)
 * @param pollInterval            how often the background worker looks for due dispatches and scopes to recover
 * @param batchSize               rows claimed per round
 * @param dispatchMaxAttempts     attempts of a dispatch before it parks as dead (J3)
 * @param compensationMaxAttempts attempts of a compensation during recovery before it parks as failed
 * @param backoffDelay            wait after the first failed attempt
 * @param backoffMultiplier       factor applied to the wait after each further failure
 * @param backoffMaxDelay         upper bound of the wait
 * @param fenceTimeout            how long recovery waits for a business transaction that still holds a scope's
 *                                marker before it gives up for this round
 * @param deadDispatchBlocksKey   whether a dead dispatch with an ordering key keeps the later dispatches of its key
 *                                waiting until a person retries or resolves it (M2); {@code false} lets them go on
 */
public record JournalSettings(String tablePrefix, String instanceId, Duration lease, Duration pollInterval,
                              int batchSize, int dispatchMaxAttempts, int compensationMaxAttempts,
                              Duration backoffDelay, double backoffMultiplier, Duration backoffMaxDelay,
                              Duration fenceTimeout, boolean deadDispatchBlocksKey) {

    /** The most rows one round claims: they are claimed with one statement listing their ids. */
    public static final int MAX_BATCH_SIZE = 1000;

    /**
     * Settings in which a dead dispatch blocks its ordering key.
     *
     * @param tablePrefix             prefix of the journal's tables
     * @param instanceId              this instance's name
     * @param lease                   claim and scope lease
     * @param pollInterval            worker poll interval
     * @param batchSize               rows claimed per round
     * @param dispatchMaxAttempts     attempts of a dispatch
     * @param compensationMaxAttempts attempts of a compensation in recovery
     * @param backoffDelay            first wait
     * @param backoffMultiplier       factor per failure
     * @param backoffMaxDelay         upper bound of the wait
     * @param fenceTimeout            wait on a running business transaction
     */
    public JournalSettings(String tablePrefix, String instanceId, Duration lease, Duration pollInterval,
            int batchSize, int dispatchMaxAttempts, int compensationMaxAttempts, Duration backoffDelay,
            double backoffMultiplier, Duration backoffMaxDelay, Duration fenceTimeout) {
        this(tablePrefix, instanceId, lease, pollInterval, batchSize, dispatchMaxAttempts, compensationMaxAttempts,
                backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout, true);
    }

    /**
     * Validates the values.
     */
    public JournalSettings {
        JournalSchema.checkPrefix(tablePrefix);
        Objects.requireNonNull(instanceId, "instanceId must not be null");
        if (instanceId.isBlank() || instanceId.length() > 100) {
            throw new IllegalArgumentException("compensation.journal.instance-id must be 1 to 100 characters");
        }
        if (lease.isNegative() || lease.isZero() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("compensation.journal.lease and poll-interval must be positive");
        }
        if (batchSize < 1 || dispatchMaxAttempts < 1 || compensationMaxAttempts < 1) {
            throw new IllegalArgumentException("compensation.journal batch-size and max-attempts must be at least 1");
        }
        if (batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("compensation.journal.batch-size must be at most " + MAX_BATCH_SIZE
                    + " (a batch is claimed with one statement), but was " + batchSize);
        }
        if (backoffDelay.isNegative() || backoffMaxDelay.isNegative() || !(backoffMultiplier >= 1.0)) {
            throw new IllegalArgumentException("compensation.journal.backoff: delay and max-delay must not be negative"
                    + " and multiplier must be at least 1.0");
        }
    }

    /**
     * Defaults: prefix {@code compensation_}, lease 60 s, poll every 5 s, 100 rows per round, 10 dispatch attempts,
     * 5 compensation attempts, backoff 1 s doubling up to 10 min, fence timeout 10 s.
     *
     * @param instanceId this instance's name
     * @return the settings
     */
    public static JournalSettings defaults(String instanceId) {
        return new JournalSettings("compensation_", instanceId, Duration.ofSeconds(60), Duration.ofSeconds(5), 100,
                10, 5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10), Duration.ofSeconds(10));
    }

    /**
     * Spring Framework's exponential back-off built from these settings.
     *
     * @return the back-off
     */
    public BackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(backoffDelay.toMillis(), backoffMultiplier);
        backOff.setMaxInterval(Math.max(backoffDelay.toMillis(), backoffMaxDelay.toMillis()));
        return backOff;
    }

    /**
     * The wait after the given number of failed attempts, from Spring's {@link ExponentialBackOff}.
     *
     * @param failedAttempts attempts that failed so far, at least 1
     * @return the wait before the next attempt
     */
    public Duration delayAfter(int failedAttempts) {
        BackOffExecution execution = backOff().start();
        long wait = 0;
        for (int i = 0; i < Math.max(1, failedAttempts); i++) {
            wait = execution.nextBackOff();
        }
        return Duration.ofMillis(Math.max(0, wait));
    }

    /** Copy with another instance id. @param id the id @return the settings */
    public JournalSettings withInstanceId(String id) {
        return new JournalSettings(tablePrefix, id, lease, pollInterval, batchSize, dispatchMaxAttempts,
                compensationMaxAttempts, backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout,
                deadDispatchBlocksKey);
    }

    /** Copy with another lease. @param value the lease @return the settings */
    public JournalSettings withLease(Duration value) {
        return new JournalSettings(tablePrefix, instanceId, value, pollInterval, batchSize, dispatchMaxAttempts,
                compensationMaxAttempts, backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout,
                deadDispatchBlocksKey);
    }

    /** Copy with other attempts. @param dispatch dispatch attempts @param compensation compensation attempts
     * @return the settings */
    public JournalSettings withMaxAttempts(int dispatch, int compensation) {
        return new JournalSettings(tablePrefix, instanceId, lease, pollInterval, batchSize, dispatch, compensation,
                backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout,
                deadDispatchBlocksKey);
    }

    /** Copy with another back-off. @param delay first wait @param multiplier factor @param maxDelay bound
     * @return the settings */
    public JournalSettings withBackoff(Duration delay, double multiplier, Duration maxDelay) {
        return new JournalSettings(tablePrefix, instanceId, lease, pollInterval, batchSize, dispatchMaxAttempts,
                compensationMaxAttempts, delay, multiplier, maxDelay, fenceTimeout,
                deadDispatchBlocksKey);
    }

    /** Copy with another prefix. @param prefix the prefix @return the settings */
    public JournalSettings withTablePrefix(String prefix) {
        return new JournalSettings(prefix, instanceId, lease, pollInterval, batchSize, dispatchMaxAttempts,
                compensationMaxAttempts, backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout,
                deadDispatchBlocksKey);
    }

    /** Copy with another poll interval and batch size. @param interval interval @param batch rows per round
     * @return the settings */
    public JournalSettings withPolling(Duration interval, int batch) {
        return new JournalSettings(tablePrefix, instanceId, lease, interval, batch, dispatchMaxAttempts,
                compensationMaxAttempts, backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout,
                deadDispatchBlocksKey);
    }

    /** Copy saying whether a dead dispatch blocks its ordering key. @param blocks whether it does
     * @return the settings */
    public JournalSettings withDeadDispatchBlocksKey(boolean blocks) {
        return new JournalSettings(tablePrefix, instanceId, lease, pollInterval, batchSize, dispatchMaxAttempts,
                compensationMaxAttempts, backoffDelay, backoffMultiplier, backoffMaxDelay, fenceTimeout, blocks);
    }
}
