package io.github.compensation.spring.autoconfigure;

import io.github.compensation.CleanupFailurePolicy;
import io.github.compensation.DispatchFailurePolicy;
import io.github.compensation.RetrySpec;
import io.github.compensation.UnknownOutcomePolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code compensation.*}. Immutable; bound once at startup, where an invalid value fails the start
 * with a message that says what to change (clause E3).
 *
 * @param enabled                 whether the annotations are advised at all
 * @param mode                    what opens the scopes: {@code proxy} (Spring proxies, the default) or {@code aspectj}
 *                                (classes woven with the AspectJ compiler, so that self-invocations open scopes too)
 * @param adviceOrder             order of the advice; must be lower (earlier) than the {@code @Transactional} advice
 *                                so that compensations run after the database rolled back. Default
 *                                {@code Ordered.LOWEST_PRECEDENCE - 100}. Proxy mode only: the woven aspect always
 *                                takes precedence over other woven aspects
 * @param retry                   application-wide retry of failing commands
 * @param dispatchFailurePolicy   what a failing dispatch command does to a committed call: {@code log} or
 *                                {@code propagate}
 * @param cleanupFailurePolicy    what a failing cleanup does to a call that otherwise committed: {@code log} (the
 *                                default) or {@code propagate} (clause R9)
 * @param unknownOutcomePolicy    what compensations do when a transaction ends with an unknown outcome:
 *                                {@code report} (leave them pending for a person) or {@code compensate}
 * @param transaction             transaction integration
 * @param async                   carrying scopes to other threads
 * @param parallel                where the compensations of scopes declared {@code parallel} run
 */
@ConfigurationProperties("compensation")
public record CompensationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("proxy") Mode mode,
        @DefaultValue("2147483547") int adviceOrder,
        @DefaultValue Retry retry,
        @DefaultValue("log") DispatchFailurePolicy dispatchFailurePolicy,
        @DefaultValue("log") CleanupFailurePolicy cleanupFailurePolicy,
        @DefaultValue("report") UnknownOutcomePolicy unknownOutcomePolicy,
        @DefaultValue Transaction transaction,
        @DefaultValue Async async,
        @DefaultValue Parallel parallel) {

    /**
     * What opens the scopes, like the {@code mode} of {@code @EnableTransactionManagement}. Exactly one of the two is
     * active, so that no call gets two scopes.
     */
    public enum Mode {

        /** An advisor on Spring proxies: calls through {@code this} are not advised. */
        PROXY,

        /**
         * The {@code CompensationAspect} woven by the AspectJ compiler into the application's classes: every execution
         * of an annotated method opens a scope, self-invocations included. No advisor is registered.
         */
        ASPECTJ
    }

    /**
     * Application-wide retry of failing commands (clause R6); {@code @RollbackOnceFailed} attributes override it per
     * method.
     *
     * @param maxAttempts attempts per failing command, the first included
     * @param delay       wait before the second attempt
     * @param multiplier  factor applied to the wait after each attempt
     * @param maxDelay    upper bound of the wait
     */
    public record Retry(@DefaultValue("1") int maxAttempts, @DefaultValue("0ms") Duration delay,
                        @DefaultValue("1.0") double multiplier, @DefaultValue("30s") Duration maxDelay) {

        /**
         * Validates the values.
         */
        public Retry {
            toSpec(maxAttempts, delay, multiplier, maxDelay);
        }

        /**
         * These settings as a core retry spec.
         *
         * @return the spec
         */
        public RetrySpec toSpec() {
            return toSpec(maxAttempts, delay, multiplier, maxDelay);
        }

        private static RetrySpec toSpec(int maxAttempts, Duration delay, double multiplier, Duration maxDelay) {
            try {
                return new RetrySpec(maxAttempts, delay, multiplier, maxDelay.compareTo(delay) < 0 ? delay : maxDelay);
            }
            catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException("Invalid compensation.retry.* setting: " + invalid.getMessage()
                        + ". Use max-attempts >= 1, delay >= 0 and multiplier >= 1.0", invalid);
            }
        }
    }

    /**
     * Transaction integration.
     *
     * @param rollbackOnCommitFailure whether transaction managers configured by Spring Boot roll back when their commit
     *                                fails, so that a failed commit counts as a rollback (clause T2) rather than an
     *                                unknown outcome
     * @param followSavepoints        whether a nested transaction that rolls back to its savepoint runs the
     *                                compensations registered since the savepoint (clause S1)
     */
    public record Transaction(@DefaultValue("true") boolean rollbackOnCommitFailure,
            @DefaultValue("true") boolean followSavepoints) {
    }

    /**
     * Carrying scopes to other threads (clause N3). Off by default: a scope stays on its thread unless asked.
     *
     * @param propagateScope whether to register a task decorator and a context-propagation accessor that carry the
     *                       caller's scope into executor and {@code @Async} tasks
     */
    public record Async(@DefaultValue("false") boolean propagateScope) {
    }

    /**
     * Where the compensations of a scope declared {@code @RollbackOnceFailed(parallel = true)} run (clause A3): a
     * thread per command, started by Spring's {@code SimpleAsyncTaskExecutor}.
     *
     * @param virtualThreads   whether those threads are virtual threads, when the JDK has them (21 and later); on an
     *                         older JDK platform threads are used whatever this says
     * @param concurrencyLimit how many commands of all parallel scopes may run at once; further ones wait for a free
     *                         slot. {@code -1} (the default) sets no limit
     */
    public record Parallel(@DefaultValue("true") boolean virtualThreads, @DefaultValue("-1") int concurrencyLimit) {

        /**
         * Validates the values.
         */
        public Parallel {
            if (concurrencyLimit == 0 || concurrencyLimit < -1) {
                throw new IllegalArgumentException("Invalid compensation.parallel.concurrency-limit " + concurrencyLimit
                        + ": use a positive number, or -1 for no limit");
            }
        }
    }
}
