package io.github.compensation.journal.autoconfigure;

import io.github.compensation.journal.Dialect;
import io.github.compensation.journal.JournalSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code compensation.journal.*}. Immutable; invalid values fail the start with a message saying what
 * to change (E3).
 *
 * @param enabled          switches the journal on; off by default
 * @param tablePrefix      prefix of the journal's tables
 * @param initializeSchema create the tables at startup (scripts only create what is missing)
 * @param dialect          the database, detected from the data source when not set
 * @param instanceId       this instance's name in claims and leases; a random one when not set. Must differ between
 *                         instances sharing the journal
 * @param lease            how long an open scope or a claim is held without renewal before another instance takes
 *                         it over; at least twice the poll interval
 * @param pollInterval     how often the worker delivers due dispatches and recovers expired scopes
 * @param batchSize        rows claimed per round
 * @param worker           whether this instance delivers dispatches, recovers other instances' scopes and purges;
 *                         with {@code false} it still renews the leases of its own running scopes
 * @param dispatch         outbox delivery
 * @param compensation     recovery of compensations
 * @param backoff          wait between attempts (Spring's exponential back-off)
 * @param fenceTimeout     how long recovery waits on a business transaction that still holds a scope's marker
 * @param retention        how long finished entries (done, discarded, committed, compensated) are kept; entries
 *                         that need a person are never deleted
 */
@ConfigurationProperties("compensation.journal")
public record JournalProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("compensation_") String tablePrefix,
        @DefaultValue("false") boolean initializeSchema,
        @Nullable Dialect dialect,
        @Nullable String instanceId,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("true") boolean worker,
        @DefaultValue Dispatch dispatch,
        @DefaultValue Compensation compensation,
        @DefaultValue Backoff backoff,
        @DefaultValue("10s") Duration fenceTimeout,
        @DefaultValue("7d") Duration retention) {

    /**
     * Validates the combination.
     */
    public JournalProperties {
        if (lease.compareTo(pollInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("compensation.journal.lease (" + lease + ") must be at least twice"
                    + " compensation.journal.poll-interval (" + pollInterval + "), or leases of running scopes expire"
                    + " between renewals and other instances recover them");
        }
    }

    /**
     * @param maxAttempts attempts before a dispatch parks as dead
     * @param workers     threads of this instance that deliver due dispatches (each claims batches of its own)
     */
    public record Dispatch(@DefaultValue("10") int maxAttempts, @DefaultValue("1") int workers) {
    }

    /**
     * @param maxAttempts attempts of a compensation during recovery before it parks as failed
     */
    public record Compensation(@DefaultValue("5") int maxAttempts) {
    }

    /**
     * @param delay      wait after the first failure
     * @param multiplier factor per further failure
     * @param maxDelay   upper bound
     */
    public record Backoff(@DefaultValue("1s") Duration delay, @DefaultValue("2.0") double multiplier,
                          @DefaultValue("10m") Duration maxDelay) {
    }

    /**
     * These properties as the journal's settings.
     *
     * @param generatedInstanceId used when {@link #instanceId()} is not set
     * @return the settings
     */
    public JournalSettings toSettings(String generatedInstanceId) {
        return new JournalSettings(tablePrefix, instanceId == null ? generatedInstanceId : instanceId, lease,
                pollInterval, batchSize, dispatch.maxAttempts(), compensation.maxAttempts(), backoff.delay(),
                backoff.multiplier(), backoff.maxDelay(), fenceTimeout);
    }
}
