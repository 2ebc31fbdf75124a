package io.github.compensation.spring.retry;

import static io.github.compensation.spring.testsupport.RecordingScopeListener.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.Outcome;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import io.github.compensation.spring.testsupport.RecordingScopeListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * R6 through the starter's {@code RetryTemplate}-based runner: a failing compensation is retried as the annotation
 * says, else as {@code compensation.retry.*} says (here: two attempts), and the report shows the attempts.
 */
@SpringBootTest(classes = RetryTest.App.class, properties = "compensation.retry.max-attempts=2")
class RetryTest {

    /** Its compensations fail a given number of times before they succeed. */
    public static class FlakyBooking {

        private final RollbackCommands rollback;
        private final AtomicInteger failuresLeft = new AtomicInteger();

        public FlakyBooking(RollbackCommands rollback) {
            this.rollback = rollback;
        }

        public void compensationFailsTimes(int times) {
            failuresLeft.set(times);
        }

        @RollbackOnceFailed(attempts = 3)
        public void bookWithThreeAttempts() {
            registerFlakyCompensationAndFail();
        }

        @RollbackOnceFailed
        public void bookWithTheGlobalAttempts() {
            registerFlakyCompensationAndFail();
        }

        @RollbackOnceFailed(attempts = 2, delay = 40)
        public void bookWithADelay() {
            registerFlakyCompensationAndFail();
        }

        private void registerFlakyCompensationAndFail() {
            rollback.append("cancel", () -> {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("remote side unavailable");
                }
            });
            throw new IllegalArgumentException("booking failed");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CompensationAutoConfiguration.class)
    static class App {

        @Bean
        RecordingScopeListener recordingScopeListener() {
            return new RecordingScopeListener();
        }

        @Bean
        FlakyBooking flakyBooking(RollbackCommands rollback) {
            return new FlakyBooking(rollback);
        }
    }

    @Autowired
    FlakyBooking booking;

    @Autowired
    RecordingScopeListener reports;

    @BeforeEach
    void cleanSlate() {
        reports.clear();
    }

    @Test
    void r6_annotationAttemptsRetryAFailingCompensationUntilItSucceeds() {
        booking.compensationFailsTimes(2);

        assertThatThrownBy(booking::bookWithThreeAttempts).hasMessage("booking failed")
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).isEmpty());

        ScopeReport report = reports.only("FlakyBooking.bookWithThreeAttempts");
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        CommandReport cancel = command(report, "cancel");
        assertThat(cancel.status()).isEqualTo(CommandStatus.DONE);
        assertThat(cancel.attempts()).isEqualTo(3);
        assertThat(report.render()).contains("done 3/3");
    }

    @Test
    void r6_globalMaxAttemptsIsHonouredWhenTheAnnotationSaysNothing() {
        booking.compensationFailsTimes(5);

        assertThatThrownBy(booking::bookWithTheGlobalAttempts).hasMessage("booking failed")
                .satisfies(thrown -> assertThat(thrown.getSuppressed()).singleElement()
                        .satisfies(suppressed -> assertThat(suppressed).hasMessage("remote side unavailable")));

        CommandReport cancel = command(reports.only("FlakyBooking.bookWithTheGlobalAttempts"), "cancel");
        assertThat(cancel.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(cancel.attempts()).isEqualTo(2);
    }

    @Test
    void r6_globalAttemptsAreEnoughForACompensationThatFailsOnce() {
        booking.compensationFailsTimes(1);

        assertThatThrownBy(booking::bookWithTheGlobalAttempts).hasMessage("booking failed");

        CommandReport cancel = command(reports.only("FlakyBooking.bookWithTheGlobalAttempts"), "cancel");
        assertThat(cancel.status()).isEqualTo(CommandStatus.DONE);
        assertThat(cancel.attempts()).isEqualTo(2);
    }

    @Test
    void r6_annotationDelayIsWaitedBetweenAttempts() {
        booking.compensationFailsTimes(1);

        assertThatThrownBy(booking::bookWithADelay).hasMessage("booking failed");

        CommandReport cancel = command(reports.only("FlakyBooking.bookWithADelay"), "cancel");
        assertThat(cancel.status()).isEqualTo(CommandStatus.DONE);
        assertThat(cancel.attempts()).isEqualTo(2);
        assertThat(cancel.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }
}
