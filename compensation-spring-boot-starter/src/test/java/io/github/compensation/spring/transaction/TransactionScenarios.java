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
import io.github.compensation.spring.transaction.TripPlanner.Inner;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transaction semantics every supported combination must show (T1, T2, T4, D1, D4, D5, N1, N2), run by the
 * JDBC and JPA test classes against H2 and against a real PostgreSQL. Rows are checked through a brand-new
 * connection after each call: what it reads is what is committed.
 */
abstract class TransactionScenarios {

    @Autowired
    Bookings bookings;

    @Autowired
    TripPlanner planner;

    @Autowired
    TransactionTemplate caller;

    @Autowired
    Journal journal;

    @Autowired
    RecordingScopeListener reports;

    @Autowired
    DataSource dataSource;

    CommittedRows committed;

    @BeforeEach
    void cleanSlate() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("delete from booking");
        jdbc.update("delete from audit");
        journal.clear();
        reports.clear();
        committed = new CommittedRows(dataSource);
    }

    // --- T1 / T4: the method owns its transaction -------------------------------------------------------------

    @Test
    void t1_t4_ownTransactionFailureRollsBackRowsAndThenRunsCompensations() {
        assertThatThrownBy(() -> bookings.book(1, "A", true))
                .isInstanceOf(BookingFailed.class).hasMessage("declined 1");

        assertThat(journal.lines()).containsExactly("tx rolled back", "compensate 1 rows=0 tx=false");
        assertThat(committed.bookingIds()).isEmpty();
        ScopeReport report = reports.only("Bookings.book");
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DONE);
        assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
    }

    @Test
    void t1_d1_ownTransactionCommitRunsDispatchesAfterCommitAndNoCompensation() {
        bookings.book(1, "A", false);

        assertThat(journal.lines()).containsExactly("tx committed", "dispatch 1 rows=1 tx=false");
        assertThat(committed.bookingIds()).containsExactly(1);
        ScopeReport report = reports.only("Bookings.book");
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
        assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DONE);
    }

    // --- T2: the caller owns the transaction ------------------------------------------------------------------

    @Test
    void t2_d5_callerRollbackLaterRunsCompensationsThenAndDropsDispatches() {
        IllegalStateException callerFailure = new IllegalStateException("caller changed its mind");

        assertThatThrownBy(() -> caller.executeWithoutResult(status -> {
            bookings.book(1, "A", false);
            journal.add("method returned");
            throw callerFailure;
        })).isSameAs(callerFailure);

        assertThat(journal.lines())
                .containsExactly("method returned", "tx rolled back", "compensate 1 rows=0 tx=false");
        assertThat(committed.bookingIds()).isEmpty();
        ScopeReport report = reports.only("Bookings.book");
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DONE);
        assertThat(command(report, "publish booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
    }

    @Test
    void t2_d1_callerCommitRunsDispatchesAfterCommitNotBefore() {
        caller.executeWithoutResult(status -> {
            bookings.book(1, "A", false);
            journal.add("method returned");
            assertThat(reports.reports()).as("no scope settles before the caller's transaction ends").isEmpty();
        });

        assertThat(journal.lines()).containsExactly("method returned", "tx committed", "dispatch 1 rows=1 tx=false");
        assertThat(committed.bookingIds()).containsExactly(1);
        ScopeReport report = reports.only("Bookings.book");
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
    }

    @Test
    void t1_methodWithARequiresNewTransactionSettlesOnReturnEvenInsideACallersTransaction() {
        caller.executeWithoutResult(status -> {
            bookings.bookIndependently(1, "A", false);
            journal.add("method returned");
            status.setRollbackOnly();
        });

        assertThat(journal.lines()).containsExactly("dispatch 1 rows=1 tx=false", "method returned");
        assertThat(committed.bookingIds()).containsExactly(1);
        ScopeReport report = reports.only("Bookings.bookIndependently");
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(command(report, "cancel booking 1").status()).isEqualTo(CommandStatus.DISCARDED);
    }

    // --- D4: database work inside commands is committed on its own ---------------------------------------------

    @Test
    void d4_dispatchWritesAreCommittedWhenTheMethodOwnsTheTransaction() {
        bookings.bookWithAuditedCommands(1, "A", false);

        assertThat(journal.lines()).containsExactly("dispatch writes, tx=false");
        assertThat(committed.bookingIds()).containsExactly(1);
        assertThat(committed.auditNotes()).containsExactly("dispatched 1");
        assertThat(command(reports.only("Bookings.bookWithAuditedCommands"), "audit dispatch 1").status())
                .isEqualTo(CommandStatus.DONE);
    }

    @Test
    void d4_dispatchWritesAreCommittedWhenTheyRunFromTheCallersCompletionCallback() {
        caller.executeWithoutResult(status -> bookings.bookWithAuditedCommands(1, "A", false));

        assertThat(journal.lines()).containsExactly("dispatch writes, tx=false");
        assertThat(committed.bookingIds()).containsExactly(1);
        assertThat(committed.auditNotes()).containsExactly("dispatched 1");
        assertThat(command(reports.only("Bookings.bookWithAuditedCommands"), "audit dispatch 1").status())
                .isEqualTo(CommandStatus.DONE);
    }

    @Test
    void d4_compensationWritesAreCommittedWhenTheMethodsOwnTransactionRolledBack() {
        assertThatThrownBy(() -> bookings.bookWithAuditedCommands(1, "A", true)).isInstanceOf(BookingFailed.class);

        assertThat(journal.lines()).containsExactly("compensation writes, tx=false");
        assertThat(committed.bookingIds()).isEmpty();
        assertThat(committed.auditNotes()).containsExactly("compensated 1");
    }

    @Test
    void d4_compensationWritesAreCommittedWhenTheCallersTransactionRollsBackLater() {
        caller.executeWithoutResult(status -> {
            bookings.bookWithAuditedCommands(1, "A", false);
            status.setRollbackOnly();
        });

        assertThat(journal.lines()).containsExactly("compensation writes, tx=false");
        assertThat(committed.bookingIds()).isEmpty();
        assertThat(committed.auditNotes()).containsExactly("compensated 1");
    }

    @Test
    void d4_compensationWriteCommitsOnItsOwnWhileTheCallersTransactionIsStillActive() {
        caller.executeWithoutResult(status -> {
            assertThatThrownBy(() -> bookings.bookWithAuditedCommands(1, "A", true))
                    .isInstanceOf(BookingFailed.class);
            assertThat(committed.auditNotes()).as("committed before the caller's transaction ended")
                    .containsExactly("compensated 1");
            status.setRollbackOnly();
        });

        assertThat(journal.lines()).containsExactly("compensation writes, tx=false");
        assertThat(committed.bookingIds()).isEmpty();
        assertThat(committed.auditNotes()).containsExactly("compensated 1");
    }

    // --- N1: nested scopes through two proxied beans -----------------------------------------------------------

    @Test
    void n1_innerFailureCaughtByOuterUndoesOnlyTheInnerScopeAndDropsItsDispatches() {
        planner.planTrip(10, Inner.NESTED_FAILS, false);

        assertThat(journal.lines()).containsExactly("compensate 11 rows=0 tx=false", "trip caught declined 11",
                "outer tx committed", "dispatch trip 10");
        assertThat(committed.bookingIds()).contains(10);
        ScopeReport inner = reports.only("Bookings.bookInCallersWork");
        assertThat(inner.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(command(inner, "publish booking 11").status()).isEqualTo(CommandStatus.DISCARDED);
        ScopeReport outer = reports.only("TripPlanner.planTrip");
        assertThat(outer.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(outer.commands()).extracting(c -> c.description() + " " + c.status())
                .containsExactly("cancel trip 10 DISCARDED", "publish trip 10 DONE");
    }

    @Test
    void n1_innerSuccessIsUndoneNewestFirstWhenTheOuterScopeFails() {
        assertThatThrownBy(() -> planner.planTrip(10, Inner.NESTED_SUCCEEDS, true))
                .hasMessage("trip 10 declined");

        assertThat(journal.lines())
                .containsExactly("outer tx rolled back", "compensate 11 rows=0 tx=false", "compensate trip 10");
        assertThat(committed.bookingIds()).isEmpty();
        assertThat(reports.reports()).hasSize(1);
        assertThat(reports.only("TripPlanner.planTrip").commands())
                .extracting(c -> c.description() + " " + c.status())
                .containsExactly("cancel booking 11 DONE", "cancel trip 10 DONE", "publish trip 10 DISCARDED",
                        "publish booking 11 DISCARDED");
    }

    @Test
    void n1_innerSuccessIsDispatchedWhenTheOuterScopeCommits() {
        planner.planTrip(10, Inner.NESTED_SUCCEEDS, false);

        assertThat(journal.lines())
                .containsExactly("outer tx committed", "dispatch trip 10", "dispatch 11 rows=1 tx=false");
        assertThat(committed.bookingIds()).containsExactly(10, 11);
        assertThat(reports.reports()).hasSize(1);
    }

    // --- N2: REQUIRES_NEW scopes settle on their own -----------------------------------------------------------

    @Test
    void n2_independentInnerScopeSettlesOnItsOwnWhenTheOuterScopeFailsLater() {
        assertThatThrownBy(() -> planner.planTrip(10, Inner.INDEPENDENT_SUCCEEDS, true))
                .hasMessage("trip 10 declined");

        assertThat(journal.lines())
                .containsExactly("dispatch 11 rows=1 tx=false", "outer tx rolled back", "compensate trip 10");
        assertThat(committed.bookingIds()).containsExactly(11);
        assertThat(reports.only("Bookings.bookIndependently").outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(reports.only("TripPlanner.planTrip").outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void n2_independentInnerFailureIsUndoneAtOnceAndTheOuterScopeStillCommits() {
        planner.planTrip(10, Inner.INDEPENDENT_FAILS, false);

        assertThat(journal.lines()).containsExactly("compensate 11 rows=0 tx=false", "trip caught declined 11",
                "outer tx committed", "dispatch trip 10");
        assertThat(committed.bookingIds()).containsExactly(10);
        assertThat(reports.only("Bookings.bookIndependently").outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(reports.only("TripPlanner.planTrip").outcome()).isEqualTo(Outcome.COMMITTED);
    }
}
