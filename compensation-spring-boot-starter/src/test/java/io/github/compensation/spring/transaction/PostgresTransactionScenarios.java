package io.github.compensation.spring.transaction;

import static io.github.compensation.spring.testsupport.RecordingScopeListener.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.Outcome;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * Adds what only a real database can show: a commit that fails after every statement succeeded, on a
 * {@code DEFERRABLE INITIALLY DEFERRED} unique constraint that PostgreSQL checks at commit time (T1, T2).
 */
abstract class PostgresTransactionScenarios extends TransactionScenarios {

    @Autowired
    PlatformTransactionManager transactionManager;

    private void committedBookingWithCode(String code) {
        new JdbcTemplate(dataSource).update("insert into booking (id, code) values (?, ?)", 100, code);
    }

    @Test
    void t1_failedCommitOfTheMethodsOwnTransactionRunsCompensationsAndTheCallerSeesTheCommitException() {
        committedBookingWithCode("TAKEN");

        Throwable thrown = catchThrowable(() -> bookings.book(1, "TAKEN", false));

        assertThat(thrown).as("the commit failure reaches the caller").isNotNull()
                .isNotInstanceOf(BookingFailed.class);
        assertThat(thrown).hasStackTraceContaining("booking_code_unique");
        assertThat(journal.lines()).containsExactly("tx rolled back", "compensate 1 rows=0 tx=false");
        assertThat(committed.bookingIds()).containsExactly(100);
        ScopeReport report = reports.only("Bookings.book");
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(report.cause()).isSameAs(thrown);
        assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
    }

    @Test
    void t2_failedCommitOfTheCallersTransactionRunsCompensationsAndTheCallerSeesTheCommitException() {
        committedBookingWithCode("TAKEN");

        Throwable thrown = catchThrowable(() -> caller.executeWithoutResult(status -> {
            bookings.book(1, "TAKEN", false);
            journal.add("method returned");
        }));

        assertThat(thrown).as("the commit failure reaches the caller").isNotNull()
                .hasStackTraceContaining("booking_code_unique");
        assertThat(journal.lines())
                .containsExactly("method returned", "tx rolled back", "compensate 1 rows=0 tx=false");
        assertThat(committed.bookingIds()).containsExactly(100);
        ScopeReport report = reports.only("Bookings.book");
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DONE);
        assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
    }

    @Test
    void t2_theBootConfiguredTransactionManagerRollsBackWhenItsCommitFails() {
        assertThat(transactionManager).isInstanceOf(AbstractPlatformTransactionManager.class);
        assertThat(((AbstractPlatformTransactionManager) transactionManager).isRollbackOnCommitFailure())
                .as("set by the starter's RollbackOnCommitFailureCustomizer").isTrue();
    }
}
