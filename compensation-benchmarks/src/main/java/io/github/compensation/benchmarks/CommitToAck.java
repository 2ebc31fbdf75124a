package io.github.compensation.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;

/**
 * Case 8's clock: for each message of an invocation (numbered from 0), when its business transaction committed and
 * when the broker acknowledged it, and how many were acknowledged. {@link #await()} returns once every message of the
 * invocation is acknowledged; the commit-to-acknowledgement latencies of the measured iterations are kept for
 * {@link #write(Path, String)}, which puts their p50 and p99 where {@code BenchmarkMain} reads them.
 *
 * <p>Thread-safe: commits are stamped by the producer threads, acknowledgements by the client's confirm threads.
 */
final class CommitToAck {

    /** The file {@link #write(Path, String)} appends to, in the benchmark output folder. */
    static final String FILE = "commit-to-ack.tsv";

    private final int messages;
    private final AtomicLongArray committed;
    private final AtomicLongArray acknowledged;
    private final AtomicInteger acks = new AtomicInteger();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final Object done = new Object();
    private long[] measured = new long[0];
    private int measuredCount;

    /** @param messages messages per invocation */
    CommitToAck(int messages) {
        this.messages = messages;
        this.committed = new AtomicLongArray(messages);
        this.acknowledged = new AtomicLongArray(messages);
    }

    /** Forgets the previous invocation. */
    void reset() {
        for (int i = 0; i < messages; i++) {
            committed.set(i, 0);
            acknowledged.set(i, 0);
        }
        acks.set(0);
        failure.set(null);
    }

    /** @param message the message whose transaction just committed */
    void committed(int message) {
        committed.set(message, System.nanoTime());
    }

    /** @param message the message the broker just acknowledged */
    void acknowledged(int message) {
        if (!acknowledged.compareAndSet(message, 0, System.nanoTime())) {
            failed(new IllegalStateException("message " + message + " acknowledged twice"));
            return;
        }
        if (acks.incrementAndGet() == messages) {
            synchronized (done) {
                done.notifyAll();
            }
        }
    }

    /** @param cause why a message was not acknowledged */
    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
        synchronized (done) {
            done.notifyAll();
        }
    }

    /**
     * Waits until every message of the invocation is acknowledged.
     *
     * @throws IllegalStateException when a send failed, or not all were acknowledged within a minute
     * @throws InterruptedException  when interrupted
     */
    void await() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        synchronized (done) {
            while (acks.get() < messages && failure.get() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(acks.get() + " of " + messages + " acknowledged after a minute");
                }
                TimeUnit.NANOSECONDS.timedWait(done, left);
            }
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("a message was not acknowledged: " + failed, failed);
        }
    }

    /** Keeps the latencies of the invocation that just ended (a measured one). */
    void keep() {
        if (measured.length < measuredCount + messages) {
            measured = Arrays.copyOf(measured, Math.max(measured.length * 2, measuredCount + messages));
        }
        for (int i = 0; i < messages; i++) {
            long commit = committed.get(i);
            if (commit == 0) {
                throw new IllegalStateException("message " + i + " was acknowledged but its commit not stamped");
            }
            measured[measuredCount++] = acknowledged.get(i) - commit;
        }
    }

    /**
     * Appends {@code label, count, p50 us, p99 us, max us} of the measured latencies to {@value #FILE}.
     *
     * @param folder the benchmark output folder
     * @param label  the benchmark, as {@code BenchmarkMain} names it
     */
    void write(Path folder, String label) {
        if (measuredCount == 0) {
            return;
        }
        long[] sorted = Arrays.copyOf(measured, measuredCount);
        Arrays.sort(sorted);
        String line = String.format(Locale.ROOT, "%s\t%d\t%.1f\t%.1f\t%.1f%n", label, sorted.length,
                percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3, sorted[sorted.length - 1] / 1e3);
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(FILE), line, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
        System.out.printf("%n[case 8, %s] commit to acknowledgement over %d messages: p50 %.1f us, p99 %.1f us,"
                + " mean %.1f us%n", label, sorted.length, percentile(sorted, 0.50) / 1e3,
                percentile(sorted, 0.99) / 1e3, LongStream.of(sorted).average().orElse(0) / 1e3);
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
