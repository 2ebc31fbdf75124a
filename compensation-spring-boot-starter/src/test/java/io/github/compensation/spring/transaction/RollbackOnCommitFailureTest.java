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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proves the starter's {@code RollbackOnCommitFailureCustomizer} (T2, T3). With exception translation off, Spring
 * Boot configures a plain {@code DataSourceTransactionManager}, whose failed commit is a
 * {@code TransactionSystemException}; Spring reports that to synchronizations as {@code STATUS_UNKNOWN} unless the
 * manager rolls back on commit failure. The commit fails on PostgreSQL's deferred unique constraint.
 */
class RollbackOnCommitFailureTest {

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

        @BeforeEach
        void cleanSlate() {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.update("delete from booking");
            jdbc.update("insert into booking (id, code) values (100, 'TAKEN')");
            journal.clear();
            reports.clear();
        }

        ScopeReport callerCommitFailsOnDeferredConstraint() {
            assertThat(transactionManager.getClass()).isEqualTo(DataSourceTransactionManager.class);
            assertThatThrownBy(() -> caller.executeWithoutResult(status -> bookings.book(1, "TAKEN", false)))
                    .isInstanceOf(TransactionSystemException.class)
                    .hasStackTraceContaining("booking_code_unique");
            assertThat(new CommittedRows(dataSource).bookingIds()).containsExactly(100);
            return reports.only("Bookings.book");
        }
    }

    @Nested
    @SpringBootTest(classes = JdbcTransactionSemanticsTest.JdbcApp.class,
            properties = "spring.dao.exceptiontranslation.enabled=false")
    class WithTheStartersCustomizer extends Scenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.postgres(registry, "rollback_on_commit_failure");
        }

        @Test
        void t2_failedCommitIsReportedAsRolledBackAndCompensationsRun() {
            assertThat(((DataSourceTransactionManager) transactionManager).isRollbackOnCommitFailure()).isTrue();

            ScopeReport report = callerCommitFailsOnDeferredConstraint();

            assertThat(journal.lines()).containsExactly("tx rolled back", "compensate 1 rows=0 tx=false");
            assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
            assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DONE);
        }
    }

    @Nested
    @SpringBootTest(classes = JdbcTransactionSemanticsTest.JdbcApp.class, properties = {
            "spring.dao.exceptiontranslation.enabled=false", "compensation.transaction.rollback-on-commit-failure=false"})
    class WithoutTheStartersCustomizer extends Scenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.postgres(registry, "no_rollback_on_commit_failure");
        }

        @Test
        void t3_failedCommitIsReportedAsUnknownAndCompensationsWait() {
            assertThat(((DataSourceTransactionManager) transactionManager).isRollbackOnCommitFailure()).isFalse();

            ScopeReport report = callerCommitFailsOnDeferredConstraint();

            assertThat(journal.lines()).containsExactly("tx unknown");
            assertThat(report.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.PENDING);
        }
    }
}
