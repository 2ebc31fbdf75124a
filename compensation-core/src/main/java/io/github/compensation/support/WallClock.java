package io.github.compensation.support;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Turns a reading of {@link System#nanoTime()} into wall-clock time without reading the wall clock for every scope: it
 * keeps one pair of readings of both clocks, taken again when it is more than a second old, so a report's start time
 * costs no clock read of its own and may lag a step of the system clock by at most that second. Thread-safe: the pair
 * is immutable, and threads that renew it at once each keep a correct one.
 */
final class WallClock {

    private static final long RENEW_AFTER_NANOS = 1_000_000_000L;

    private static volatile @Nullable Anchor anchor;

    private WallClock() {
    }

    /**
     * The wall-clock time of {@code nanos}, a reading taken at most a few hours before {@code now}.
     *
     * @param nanos the reading to convert
     * @param now   a recent reading of {@link System#nanoTime()}
     * @return the instant
     */
    static Instant instantAt(long nanos, long now) {
        Anchor current = anchor;
        if (current == null || now - current.nanos > RENEW_AFTER_NANOS) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            current = new Anchor(before, wall);
            anchor = current;
        }
        return current.wall.plusNanos(nanos - current.nanos);
    }

    private record Anchor(long nanos, Instant wall) {
    }
}
