package io.github.compensation;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** R6: a failing command is retried before it counts as failed; one attempt by default. */
class RetryTest {

    private final List<ScopeReport> reports = new ArrayList<>();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    @Test
    void r6_byDefaultAFailingCompensationIsTriedOnce() {
        AtomicInteger tries = new AtomicInteger();

        catchThrowable(() -> template().execute("Trip.book", () -> {
            rollback.append("cancel flight", failing(tries, Integer.MAX_VALUE));
            throw new IllegalStateException("declined");
        }));

        assertThat(tries).hasValue(1);
        assertThat(onlyCommand().attempts()).isEqualTo(1);
        assertThat(onlyCommand().status()).isEqualTo(CommandStatus.FAILED);
    }

    @Test
    void r6_aCompensationFailingTwiceSucceedsOnTheThirdOfThreeAttemptsAndCountsAsDone() {
        AtomicInteger tries = new AtomicInteger();
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(3, Duration.ZERO)));
        IllegalStateException declined = new IllegalStateException("declined");

        Throwable thrown = catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", failing(tries, 2));
            throw declined;
        }));

        assertThat(tries).hasValue(3);
        assertThat(onlyCommand().status()).isEqualTo(CommandStatus.DONE);
        assertThat(onlyCommand().attempts()).isEqualTo(3);
        assertThat(onlyCommand().error()).isNull();
        assertThat(thrown).isSameAs(declined);
        assertThat(thrown.getSuppressed()).isEmpty();
    }

    @Test
    void r6_aCompensationFailingEveryAttemptCountsAsFailedWithTheLastFailureAndEarlierOnesSuppressed() {
        List<Exception> failures = List.of(new IllegalStateException("attempt 1"),
                new IllegalStateException("attempt 2"), new IllegalStateException("attempt 3"));
        AtomicInteger tries = new AtomicInteger();
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(3, Duration.ZERO)));
        IllegalStateException declined = new IllegalStateException("declined");

        Throwable thrown = catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> {
                throw failures.get(tries.getAndIncrement());
            });
            throw declined;
        }));

        assertThat(tries).hasValue(3);
        CommandReport command = onlyCommand();
        assertThat(command.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(command.attempts()).isEqualTo(3);
        assertThat(command.error()).isSameAs(failures.get(2));
        assertThat(failures.get(2).getSuppressed()).as("earlier failures, oldest first")
                .containsExactly(failures.get(0), failures.get(1));
        assertThat(failures.get(1).getSuppressed()).isEmpty();
        assertThat(thrown.getSuppressed()).containsExactly(failures.get(2));
    }

    @Test
    void r6_theScopesRetryOverridesTheTemplateDefault() {
        AtomicInteger tries = new AtomicInteger();
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(5, Duration.ZERO)));
        ScopeDefinition definition = ScopeDefinition.named("Trip.book").withRetry(RetrySpec.of(2, Duration.ZERO));

        catchThrowable(() -> template.execute(definition, () -> {
            rollback.append("cancel flight", failing(tries, Integer.MAX_VALUE));
            throw new IllegalStateException("declined");
        }));

        assertThat(tries).hasValue(2);
        assertThat(onlyCommand().attempts()).isEqualTo(2);
    }

    @Test
    void r6_cleanupsAndDispatchesAreRetriedToo() {
        AtomicInteger cleanupTries = new AtomicInteger();
        AtomicInteger dispatchTries = new AtomicInteger();
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(4, Duration.ZERO)));

        template.execute("Trip.book", () -> {
            rollback.appendCleanup("close session", failing(cleanupTries, 1));
            dispatch.append("publish TripBooked", failing(dispatchTries, 3));
            return null;
        });

        assertThat(cleanupTries).hasValue(2);
        assertThat(dispatchTries).hasValue(4);
        assertThat(reports.get(0).commands()).extracting(CommandReport::status, CommandReport::attempts)
                .containsExactly(tuple(CommandStatus.DONE, 2),
                        tuple(CommandStatus.DONE, 4));
    }

    @Test
    void r6_anErrorIsNotRetried() {
        AtomicInteger tries = new AtomicInteger();
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(3, Duration.ZERO)));
        StackOverflowError error = new StackOverflowError("simulated");

        catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> {
                tries.incrementAndGet();
                throw error;
            });
            throw new IllegalStateException("declined");
        }));

        assertThat(tries).hasValue(1);
        assertThat(onlyCommand().attempts()).isEqualTo(1);
        assertThat(onlyCommand().error()).isSameAs(error);
    }

    @Test
    void r6_withADelayBetweenAttemptsEveryAttemptIsStillMade() {
        AtomicInteger tries = new AtomicInteger();
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(3, Duration.ofMillis(5))));

        catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", failing(tries, 2));
            throw new IllegalStateException("declined");
        }));

        assertThat(tries).hasValue(3);
        assertThat(onlyCommand().attempts()).isEqualTo(3);
        assertThat(onlyCommand().status()).isEqualTo(CommandStatus.DONE);
    }

    @Test
    @Timeout(10)
    void r6_anInterruptDuringTheWaitStopsRetryingKeepsTheFlagAndCountsTheCommandAsFailed() {
        AtomicInteger tries = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("remote down");
        CompensationTemplate template = template(builder -> builder.defaultRetry(RetrySpec.of(5, Duration.ofMinutes(1))));

        catchThrowable(() -> template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> {
                tries.incrementAndGet();
                Thread.currentThread().interrupt();
                throw failure;
            });
            throw new IllegalStateException("declined");
        }));

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(tries).hasValue(1);
        assertThat(onlyCommand().status()).isEqualTo(CommandStatus.FAILED);
        assertThat(onlyCommand().attempts()).isEqualTo(1);
        assertThat(onlyCommand().error()).isSameAs(failure);
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
    }

    @Test
    void r6_aCustomCommandRunnerReceivesTheRetryOfTheScope() {
        RetrySpec scopeRetry = RetrySpec.of(7, Duration.ofSeconds(2));
        List<RetrySpec> seen = new ArrayList<>();
        CommandRunner runner = (command, retry) -> {
            seen.add(retry);
            return new CommandRunner.Attempts(retry.maxAttempts(), null);
        };
        CompensationTemplate template = template(builder -> builder.commandRunner(runner));

        catchThrowable(() -> template.execute(ScopeDefinition.named("Trip.book").withRetry(scopeRetry), () -> {
            rollback.append("cancel flight", () -> {
            });
            throw new IllegalStateException("declined");
        }));

        assertThat(seen).containsExactly(scopeRetry);
        assertThat(onlyCommand().attempts()).isEqualTo(7);
    }

    @Test
    void r6_theDelayGrowsByTheMultiplierUpToTheMaximum() {
        RetrySpec backoff = new RetrySpec(6, Duration.ofMillis(100), 2.0, Duration.ofMillis(300));

        assertThat(backoff.delayBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delayBefore(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayBefore(4)).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.delayBefore(5)).isEqualTo(Duration.ofMillis(300));
        assertThat(RetrySpec.of(3, Duration.ofMillis(50)).delayBefore(3)).isEqualTo(Duration.ofMillis(50));
        assertThat(RetrySpec.ONCE.maxAttempts()).isEqualTo(1);
    }

    @Test
    void r6_anInvalidRetryIsRejectedWithAMessageSayingWhichValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpec.of(0, Duration.ZERO))
                .withMessage("maxAttempts must be at least 1 (the first attempt counts), but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpec.of(2, Duration.ofMillis(-1)))
                .withMessage("delay and maxDelay must not be negative, but were PT-0.001S and PT-0.001S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetrySpec(2, Duration.ZERO, 0.5, Duration.ZERO))
                .withMessage("multiplier must be at least 1.0, but was 0.5");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetrySpec(2, Duration.ZERO, Double.NaN, Duration.ZERO))
                .withMessage("multiplier must be at least 1.0, but was NaN");
    }

    private static Command failing(AtomicInteger tries, int failures) {
        return () -> {
            if (tries.incrementAndGet() <= failures) {
                throw new IllegalStateException("attempt " + tries.get() + " failed");
            }
        };
    }

    private CommandReport onlyCommand() {
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).commands()).hasSize(1);
        return reports.get(0).commands().get(0);
    }

    private CompensationTemplate template() {
        return template(builder -> {
        });
    }

    private CompensationTemplate template(java.util.function.Consumer<CompensationTemplate.Builder> customizer) {
        CompensationTemplate.Builder builder = CompensationTemplate.builder()
                .listeners(List.<ScopeListener>of(reports::add));
        customizer.accept(builder);
        return builder.build();
    }
}
