package io.github.compensation.test;

import static io.github.compensation.test.CompensationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchCommands;
import io.github.compensation.Outcome;
import io.github.compensation.RetrySpec;
import io.github.compensation.RollbackCommands;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The assertions of clause X1, each shown passing on a scope that did what it says and failing, with a message that
 * names what differs and ends with the scope's report block (H1), on one that did not. Scopes are run through a
 * {@link CompensationTestKit}: no Spring, no database.
 */
class ScopeAssertionsTest {

    private final CompensationTestKit kit = CompensationTestKit.create();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    private void bookAndFail() {
        assertThatThrownBy(() -> kit.template().execute("Trips.book", () -> {
            steps();
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined");
    }

    private void book() {
        kit.template().execute("Trips.book", () -> {
            steps();
            return null;
        });
    }

    private void steps() {
        rollback.append("cancel flight F1", () -> { });
        rollback.append("cancel hotel H1", () -> { });
        dispatch.append("trip booked", () -> { });
    }

    @Test
    void rolledBackScope_compensationsNewestFirst_dispatchDiscarded_allAssertionsPass_X1_R1_D5() {
        bookAndFail();

        assertThat(kit.scopes()).single().rolledBack().causedBy(IllegalStateException.class)
                .ranCompensations("cancel hotel", "cancel flight")
                .discardedDispatches("trip booked")
                .ranDispatches()
                .failedCommands();
    }

    @Test
    void ranCompensations_inTheWrongOrder_failsNamingBothOrders_andPrintsTheReportBlock_X1_H1() {
        bookAndFail();

        assertThatThrownBy(() -> assertThat(kit.scopes()).single().ranCompensations("cancel flight", "cancel hotel"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected scope Trips.book to have run compensations ['cancel flight',"
                        + " 'cancel hotel'] in this order but it had ['cancel hotel H1', 'cancel flight F1']")
                .hasMessageContaining("compensation scope ")
                .hasMessageContaining(" Trips.book rolled back after ")
                .hasMessageContaining("IllegalStateException: payment declined")
                .hasMessageContaining("rollback  cancel hotel H1")
                .hasMessageContaining("dispatch  trip booked");
    }

    @Test
    void ranCompensations_aDescriptionIsMatchedByItsLeadingWordsOnly_X1() {
        bookAndFail();

        assertThatThrownBy(() -> assertThat(kit.scopes()).single().ranCompensations("cancel hot", "cancel flight"))
                .hasMessageContaining("but it had ['cancel hotel H1', 'cancel flight F1']");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().ranCompensations("cancel hotel"))
                .hasMessageContaining("run compensations ['cancel hotel'] in this order");
    }

    @Test
    void outcomeAssertions_failOnAnotherOutcome_X1() {
        bookAndFail();

        assertThatThrownBy(() -> assertThat(kit.scopes()).single().committed())
                .hasMessageContaining("Expected scope Trips.book to end COMMITTED but it ended ROLLED_BACK")
                .hasMessageContaining("rolled back after");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().unknownOutcome())
                .hasMessageContaining("to end UNKNOWN but it ended ROLLED_BACK");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().failedWithoutRollback())
                .hasMessageContaining("to end FAILED_NO_ROLLBACK but it ended ROLLED_BACK");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().causedBy(IllegalArgumentException.class))
                .hasMessageContaining("to have been ended by a java.lang.IllegalArgumentException but its cause was"
                        + " java.lang.IllegalStateException");
    }

    @Test
    void committedScope_dispatchRan_compensationsDiscarded_andTheOppositeAssertionsFail_X1_D1() {
        book();

        assertThat(kit.scopes()).single().committed()
                .ranDispatches("trip booked")
                .discardedCompensations("cancel hotel", "cancel flight")
                .ranCompensations()
                .discardedDispatches();
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().discardedDispatches("trip booked"))
                .hasMessageContaining("to have discarded dispatches ['trip booked'] in this order but it had none")
                .hasMessageContaining("committed after");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().ranDispatches("trip booked", "mail sent"))
                .hasMessageContaining("to have run dispatches ['trip booked', 'mail sent'] in this order but it had"
                        + " ['trip booked']");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().rolledBack())
                .hasMessageContaining("to end ROLLED_BACK but it ended COMMITTED");
    }

    @Test
    void commandMadeToFailTwice_succeedsOnTheThirdAttempt_andAttemptsSaysSo_X1_R6() {
        CompensationTestKit retrying = CompensationTestKit.create(builder -> builder
                .defaultRetry(RetrySpec.of(3, Duration.ZERO)));
        retrying.faults().failCommand("cancel hotel", 2);

        assertThatThrownBy(() -> retrying.template().execute("Trips.book", () -> {
            steps();
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined").satisfies(failure ->
                org.assertj.core.api.Assertions.assertThat(failure.getSuppressed()).isEmpty());

        assertThat(retrying.scopes()).single().rolledBack()
                .ranCompensations("cancel hotel", "cancel flight")
                .attempts("cancel hotel", 3)
                .attempts("cancel flight", 1)
                .failedCommands();
        assertThatThrownBy(() -> assertThat(retrying.scopes()).single().attempts("cancel hotel", 1))
                .hasMessageContaining("Expected command 'cancel hotel H1' of scope Trips.book to have made 1"
                        + " attempt(s) but it made 3")
                .hasMessageContaining("done 3/3");
    }

    @Test
    void commandMadeToFailMoreOftenThanItIsTried_isReportedFailed_andTheOtherCompensationsStillRun_X1_R4() {
        kit.faults().failCommand("cancel hotel", 5);

        bookAndFail();

        assertThat(kit.scopes()).single().rolledBack()
                .failedCommands("cancel hotel")
                .ranCompensations("cancel flight");
        assertThatThrownBy(() -> assertThat(kit.scopes()).single().failedCommands())
                .hasMessageContaining("to have failed commands none in this order but it had ['cancel hotel H1']")
                .hasMessageContaining("FAILED 1/1")
                .hasMessageContaining("ProvokedFailure: 'cancel hotel H1' failed on purpose (provoked failure 1 of"
                        + " 5)");
    }

    @Test
    void single_withTwoScopesOrNone_failsAndListsWhatThereIs_X1() {
        assertThatThrownBy(() -> assertThat(kit.scopes()).single())
                .hasMessageContaining("Expected exactly one scope but found 0.")
                .hasMessageContaining("no scopes recorded");

        book();
        bookAndFail();

        assertThatThrownBy(() -> assertThat(kit.scopes()).single())
                .hasMessageContaining("Expected exactly one scope but found 2.")
                .hasMessageContaining("Trips.book committed after")
                .hasMessageContaining("Trips.book rolled back after");
        assertThat(kit.scopes()).hasSize(2);
        assertThat(kit.scopes()).scope(0).committed();
        assertThat(kit.scopes()).last().rolledBack();
        assertThatThrownBy(() -> assertThat(kit.scopes()).allHaveOutcome(Outcome.COMMITTED))
                .hasMessageContaining("Expected every scope to end COMMITTED but scope");
        assertThatThrownBy(() -> assertThat(kit.scopes()).hasSize(3))
                .hasMessageContaining("Expected 3 scope(s) but found 2.");
        assertThatThrownBy(() -> assertThat(kit.scopes()).scope(2))
                .hasMessageContaining("Expected a scope at index 2 but found 2 scope(s).");
        assertThat(kit.scopes()).named("Other.work").isEmpty();
    }

    @Test
    void nestedScopeThatReturned_isPartOfItsEnclosingScope_notListedOnItsOwn_X1_N1() {
        kit.template().execute("Trips.book", () -> {
            kit.template().execute("Hotels.reserve", () -> {
                rollback.append("cancel hotel H1", () -> { });
                return null;
            });
            return null;
        });

        assertThat(kit.scopes()).single().committed().discardedCompensations("cancel hotel");
    }

    @Test
    void crashedAfterCommit_onAScopeThatDidNotCrash_fails_X1() {
        book();

        assertThatThrownBy(() -> assertThat(kit.scopes()).single().crashedAfterCommit())
                .hasMessageContaining("Expected scope Trips.book to have crashed right after commit but it did not");
    }
}
