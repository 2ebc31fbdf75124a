package io.github.compensation;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a failing command is tried before it counts as failed, and how long to wait between attempts (clause R6).
 * The delay grows by {@code multiplier} after each attempt, up to {@code maxDelay}. Immutable and thread-safe.
 *
 * @param maxAttempts attempts in all, the first one included; at least 1
 * @param delay       wait before the second attempt
 * @param multiplier  factor applied to the wait after each attempt; at least 1
 * @param maxDelay    upper bound of the wait
 */
public record RetrySpec(int maxAttempts, Duration delay, double multiplier, Duration maxDelay) {

    /** One attempt, no retry: the default. */
    public static final RetrySpec ONCE = new RetrySpec(1, Duration.ZERO, 1.0, Duration.ZERO);

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException when a value is out of range, saying which
     */
    public RetrySpec {
        Objects.requireNonNull(delay, "delay must not be null");
        Objects.requireNonNull(maxDelay, "maxDelay must not be null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (the first attempt counts), but was "
                    + maxAttempts);
        }
        if (delay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delay and maxDelay must not be negative, but were " + delay + " and "
                    + maxDelay);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1.0, but was " + multiplier);
        }
    }

    /**
     * A fixed number of attempts with a constant delay.
     *
     * @param maxAttempts attempts in all
     * @param delay       wait between attempts
     * @return the spec
     */
    public static RetrySpec of(int maxAttempts, Duration delay) {
        return new RetrySpec(maxAttempts, delay, 1.0, delay);
    }

    /**
     * The wait before the given attempt.
     *
     * @param attempt the attempt about to be made, 2 for the first retry
     * @return the wait, never more than {@code maxDelay} unless {@code maxDelay} is smaller than {@code delay}
     */
    public Duration delayBefore(int attempt) {
        double millis = delay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 2));
        long bounded = maxDelay.compareTo(delay) < 0 ? delay.toMillis() : Math.min((long) millis, maxDelay.toMillis());
        return Duration.ofMillis(bounded);
    }
}
