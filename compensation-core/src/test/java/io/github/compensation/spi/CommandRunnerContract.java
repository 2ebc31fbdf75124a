package io.github.compensation.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.RetrySpec;
import io.github.compensation.spi.CommandRunner.Attempts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link CommandRunner} contract (clause R6), as tests that every runner of the project extends: attempts counted,
 * no failure lost, errors not retried, interrupts honoured. Published in the core's test jar so that the starter's
 * runners, and an integrator's own, are held to the same rules.
 */
public abstract class CommandRunnerContract {

    private static final RetrySpec THREE_QUICK = RetrySpec.of(3, Duration.ofMillis(1));

    /**
     * The runner under test.
     *
     * @return a runner
     */
    protected abstract CommandRunner runner();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void r6_aCommandThatSucceedsRunsOnceAndCountsOneAttempt() {
        AtomicInteger runs = new AtomicInteger();

        Attempts attempts = runner().run(runs::incrementAndGet, THREE_QUICK);

        assertThat(runs).hasValue(1);
        assertThat(attempts.count()).isEqualTo(1);
        assertThat(attempts.failure()).isNull();
    }

    @Test
    void r6_aCommandThatFailsTwiceThenSucceedsCountsThreeAttemptsAndNoFailure() {
        AtomicInteger runs = new AtomicInteger();

        Attempts attempts = runner().run(() -> {
            if (runs.incrementAndGet() < 3) {
                throw new IllegalStateException("attempt " + runs.get());
            }
        }, THREE_QUICK);

        assertThat(runs).hasValue(3);
        assertThat(attempts.count()).isEqualTo(3);
        assertThat(attempts.failure()).isNull();
    }

    @Test
    void r6_whenEveryAttemptFailsTheLastFailureIsReturnedWithTheEarlierOnesSuppressedOldestFirst() {
        List<Exception> thrown = new ArrayList<>();

        Attempts attempts = runner().run(() -> {
            Exception failure = new java.io.IOException("attempt " + (thrown.size() + 1));
            thrown.add(failure);
            throw failure;
        }, THREE_QUICK);

        assertThat(attempts.count()).isEqualTo(3);
        assertThat(thrown).hasSize(3);
        assertThat(attempts.failure()).isSameAs(thrown.get(2));
        assertThat(attempts.failure().getSuppressed()).containsExactly(thrown.get(0), thrown.get(1));
    }

    @Test
    void r6_theSameInstanceThrownByEveryAttemptIsReturnedWithoutSuppressingItself() {
        IllegalStateException always = new IllegalStateException("down");

        Attempts attempts = runner().run(() -> {
            throw always;
        }, THREE_QUICK);

        assertThat(attempts.count()).isEqualTo(3);
        assertThat(attempts.failure()).isSameAs(always);
        assertThat(always.getSuppressed()).isEmpty();
    }

    @Test
    void r6_anErrorIsNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        AssertionError error = new AssertionError("broken");

        Attempts attempts = runner().run(() -> {
            runs.incrementAndGet();
            throw error;
        }, THREE_QUICK);

        assertThat(runs).hasValue(1);
        assertThat(attempts.count()).isEqualTo(1);
        assertThat(attempts.failure()).isSameAs(error);
    }

    @Test
    void r6_anInterruptWhileWaitingStopsRetryingKeepsTheFlagAndIsSuppressedInTheFailure() {
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException first = new IllegalStateException("first");

        Thread.currentThread().interrupt();
        Attempts attempts = runner().run(() -> {
            runs.incrementAndGet();
            throw first;
        }, RetrySpec.of(3, Duration.ofSeconds(30)));

        assertThat(runs).as("no attempt after the interrupted wait").hasValue(1);
        assertThat(attempts.count()).isEqualTo(1);
        assertThat(attempts.failure()).isSameAs(first);
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag kept").isTrue();
        assertThat(first.getSuppressed()).as("the interrupt is not lost").isNotEmpty();
        assertThat(first.getSuppressed()[first.getSuppressed().length - 1])
                .satisfiesAnyOf(
                        last -> assertThat(last).isInstanceOf(InterruptedException.class),
                        last -> assertThat(last).hasRootCauseInstanceOf(InterruptedException.class));
    }
}
