package io.github.compensation.journal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registration order of ordered dispatches (M2): microseconds since the epoch by the journal's clock, strictly
 * increasing within the JVM, so that two dispatches registered one after the other, by one thread or by several, get
 * increasing numbers even within one microsecond. Across instances the numbers compare as well as the instances'
 * clocks agree (the journal's leases already ask for clocks in sync). Thread-safe.
 */
final class OrderingSequence {

    private static final AtomicLong LAST = new AtomicLong();

    private OrderingSequence() {
    }

    /**
     * The next number.
     *
     * @param clock the journal's clock
     * @return a number greater than every one this JVM returned before
     */
    static long next(Clock clock) {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000L);
        return LAST.updateAndGet(last -> Math.max(last + 1, micros));
    }
}
