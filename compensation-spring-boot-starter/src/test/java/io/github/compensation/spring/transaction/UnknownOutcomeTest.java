package io.github.compensation.spring.transaction;

import static io.github.compensation.spring.testsupport.RecordingScopeListener.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.Outcome;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import io.github.compensation.spring.testsupport.CommittedRows;
import io.github.compensation.spring.testsupport.Journal;
import io.github.compensation.spring.testsupport.RecordingScopeListener;
import io.github.compensation.spring.testsupport.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * T3: a transaction manager that cannot tell whether its commit went through reports {@code STATUS_UNKNOWN}. The
 * manager here commits and then loses the answer (as when the connection drops while committing); it is the
 * application's own bean, so Spring Boot's customizers (and the starter's rollback-on-commit-failure) never touch
 * it. Compensations must then wait for a person, unless {@code compensation.unknown-outcome-policy=compensate}.
 */
class UnknownOutcomeTest {

    /** Commits, then fails as if the answer of the database had been lost. */
    static class CommitOutcomeLostTransactionManager extends DataSourceTransactionManager {

        CommitOutcomeLostTransactionManager(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            super.doCommit(status);
            throw new TransactionSystemException("connection lost while committing: outcome unknown");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    @Import(TransactionTestBeans.class)
    static class App {

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new CommitOutcomeLostTransactionManager(dataSource);
        }

        @Bean
        BookingStore bookingStore(JdbcTemplate jdbc) {
            return new JdbcBookingStore(jdbc);
        }
    }

    abstract static class Scenarios {

        @Autowired
        Bookings bookings;

        @Autowired
        TransactionTemplate caller;

        @Autowired
        PlatformTransactionManager transactionManager;

        @Autowired
        Journal journal;

        @Autowired
        RecordingScopeListener reports;

        @Autowired
        DataSource dataSource;

        CommittedRows committed;

        @BeforeEach
        void cleanSlate() {
            new JdbcTemplate(dataSource).update("delete from booking");
            journal.clear();
            reports.clear();
            committed = new CommittedRows(dataSource);
        }

        void callerCommitEndsUnknown() {
            assertThat(transactionManager).isInstanceOf(CommitOutcomeLostTransactionManager.class);
            assertThatThrownBy(() -> caller.executeWithoutResult(status -> {
                bookings.book(1, "A", false);
                journal.add("method returned");
            })).isInstanceOf(TransactionSystemException.class).hasMessageContaining("outcome unknown");
            assertThat(committed.bookingIds()).as("the commit did go through").containsExactly(1);
        }
    }

    abstract static class ReportPolicyScenarios extends Scenarios {

        @Test
        void t3_unknownCompletionOfTheCallersTransactionLeavesCompensationsPendingAndDropsDispatches() {
            callerCommitEndsUnknown();

            assertThat(journal.lines()).containsExactly("method returned", "tx unknown");
            ScopeReport report = reports.only("Bookings.book");
            assertThat(report.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(report.needsAttention()).isTrue();
            assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.PENDING);
            assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
        }

        /**
         * Characterizes the current behaviour, which T1 and T3 leave open: when the method owns the transaction, the
         * engine sees only the exception thrown by the commit, not the manager's {@code STATUS_UNKNOWN}, so it
         * counts the scope as rolled back and compensates, although here the commit went through.
         */
        @Test
        void t1_t3_unknownCommitOfTheMethodsOwnTransactionIsSeenAsAFailureAndCompensated() {
            assertThatThrownBy(() -> bookings.book(1, "A", false))
                    .isInstanceOf(TransactionSystemException.class);

            assertThat(committed.bookingIds()).containsExactly(1);
            assertThat(journal.lines()).containsExactly("tx unknown", "compensate 1 rows=1 tx=false");
            assertThat(reports.only("Bookings.book").outcome()).isEqualTo(Outcome.ROLLED_BACK);
        }
    }

    @Nested
    @SpringBootTest(classes = App.class)
    class OnH2 extends ReportPolicyScenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.h2(registry, "unknown_outcome");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class)
    class OnPostgreSql extends ReportPolicyScenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.postgres(registry, "unknown_outcome");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, properties = "compensation.unknown-outcome-policy=compensate")
    class WithCompensatePolicy extends Scenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.h2(registry, "unknown_outcome_compensate");
        }

        @Test
        void t3_compensatePolicyRunsCompensationsOnUnknownCompletion() {
            callerCommitEndsUnknown();

            assertThat(journal.lines()).containsExactly("method returned", "tx unknown",
                    "compensate 1 rows=1 tx=false");
            ScopeReport report = reports.only("Bookings.book");
            assertThat(report.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DONE);
            assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
        }
    }
}
