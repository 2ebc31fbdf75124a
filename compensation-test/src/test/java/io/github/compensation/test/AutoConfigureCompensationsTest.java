package io.github.compensation.test;

import static io.github.compensation.test.CompensationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.test.app.Partners;
import io.github.compensation.test.app.Trips;
import io.github.compensation.test.app.TripsApplication;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link AutoConfigureCompensations} on a {@code @SpringBootTest} with H2 (clause X1): the faults it provokes without
 * touching {@link Trips}, and how it keeps one test's scopes and faults from the next.
 */
@SpringBootTest(classes = TripsApplication.class)
@AutoConfigureCompensations
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureCompensationsTest {

    @Autowired
    Trips trips;

    @Autowired
    Partners partners;

    @Autowired
    RecordedScopes scopes;

    @Autowired
    CompensationFaults faults;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    String ref;

    @BeforeEach
    void newReference() {
        ref = "T-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    @Order(1)
    void failNextCommit_methodOwningItsTransaction_getsTheCommitError_andBothReservationsAreCancelled_X1_T1() {
        faults.failNextCommit();

        assertThatThrownBy(() -> trips.book(ref)).isInstanceOf(TransactionSystemException.class)
                .hasMessageContaining("Commit failed: provoked by compensation-test")
                .hasCauseInstanceOf(ProvokedFailure.class);

        assertThat(scopes).single().rolledBack().causedBy(TransactionSystemException.class)
                .ranCompensations("cancel hotel", "cancel flight")
                .discardedDispatches("trip booked");
        assertThat(partners.callsAbout(ref)).containsExactly("reserve flight " + ref, "reserve hotel " + ref,
                "cancel hotel " + ref, "cancel flight " + ref);
        assertThat(tripRows()).isZero();
    }

    @Test
    @Order(2)
    void failNextCommit_ofTheCallersTransaction_rollsBackTheScopeThatReturnedInsideIt_X1_T2() {
        faults.failNextCommit();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> trips.bookInCallersTransaction(ref)))
                .isInstanceOf(TransactionSystemException.class);

        assertThat(scopes).single().rolledBack()
                .ranCompensations("cancel hotel", "cancel flight")
                .discardedDispatches("trip booked");
        assertThat(tripRows()).isZero();
    }

    @Test
    @Order(3)
    void nextCommitOutcomeUnknown_leavesTheCompensationsPendingForAPerson_andDispatchesNothing_X1_T3() {
        faults.nextCommitOutcomeUnknown();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> trips.bookInCallersTransaction(ref)))
                .isInstanceOf(TransactionSystemException.class)
                .hasMessageContaining("Commit outcome unknown");

        assertThat(scopes).single().unknownOutcome()
                .pendingCompensations("cancel hotel", "cancel flight")
                .ranCompensations()
                .discardedDispatches("trip booked");
        assertThat(partners.callsAbout(ref)).containsExactly("reserve flight " + ref, "reserve hotel " + ref);
    }

    @Test
    @Order(4)
    void failCommand_aDispatchThatFailsOnce_isReportedFailed_theBookingStillCommits_X1_D3() {
        faults.failCommand("trip booked", 1);

        trips.book(ref);

        assertThat(scopes).single().committed().failedCommands("trip booked").ranDispatches();
        assertThat(tripRows()).isOne();
    }

    @Test
    @Order(5)
    void leavesAScopeAndFaultsThatNeverTriggered_forTheNextTest_X1() {
        trips.book("left-behind-" + ref);
        faults.failNextCommit().failCommand("trip booked", 1);

        assertThat(scopes).single().committed();
    }

    @Test
    @Order(6)
    void nextTest_seesOnlyItsOwnScopes_andNoFaultOfTheTestsBefore_X1() {
        assertThat(scopes).isEmpty();

        trips.book(ref);

        assertThat(scopes).single().committed().ranDispatches("trip booked " + ref).failedCommands();
        assertThat(partners.callsAbout(ref)).containsExactly("reserve flight " + ref, "reserve hotel " + ref,
                "publish trip booked " + ref);
    }

    @Test
    @Order(7)
    void awaitSettled_waitsForAScopeOpenedOnAThreadTheTestStarted_X1() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                if (go.await(10, TimeUnit.SECONDS)) {
                    transactions.executeWithoutResult(status -> trips.bookInCallersTransaction(ref));
                }
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        assertThat(scopes).isEmpty();

        go.countDown();

        assertThat(scopes.awaitSettled(1, Duration.ofSeconds(10))).single().committed()
                .ranDispatches("trip booked");
        worker.join(10_000);
    }

    @Test
    @Order(8)
    void awaitSettled_givesUpAfterItsTimeout_andPrintsTheScopes_X1() {
        assertThatThrownBy(() -> scopes.awaitSettled(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Condition not met within 50 ms: 0 of 1 scope(s) settled")
                .hasMessageContaining("no scopes recorded for this test");
    }

    private int tripRows() {
        return jdbc.queryForObject("select count(*) from trips where ref = ?", Integer.class, ref);
    }
}
