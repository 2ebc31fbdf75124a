package io.github.compensation.test;

import static io.github.compensation.test.CompensationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.support.Compensations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CompensationTestKit}: one service under test without Spring or a database, its annotations honoured as the
 * starter honours them (clause X1).
 */
class CompensationTestKitTest {

    /** A service as an application writes it, with injected holders. */
    static class Payments {

        private final List<String> calls;
        private final RollbackCommands rollback;
        private final DispatchCommands dispatch;

        Payments(List<String> calls, RollbackCommands rollback, DispatchCommands dispatch) {
            this.calls = calls;
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        @RollbackOnceFailed(noRollbackFor = IllegalArgumentException.class)
        @DispatchAfterCommit
        public void charge(String card, RuntimeException failure) {
            calls.add("charge " + card);
            rollback.append("refund " + card, () -> calls.add("refund " + card));
            dispatch.append("receipt " + card, () -> calls.add("receipt " + card));
            if (failure != null) {
                throw failure;
            }
        }
    }

    private final CompensationTestKit kit = CompensationTestKit.create();
    private final List<String> calls = new ArrayList<>();
    private final Payments payments = kit.advise(new Payments(calls, Compensations.rollbackCommands(),
            Compensations.dispatchCommands()));

    @Test
    void advisedService_failingWithATriggeringException_isCompensated_X1_R1() {
        assertThatThrownBy(() -> payments.charge("C1", new IllegalStateException("declined")))
                .hasMessage("declined");

        assertThat(kit.scopes()).single().rolledBack().ranCompensations("refund C1").discardedDispatches("receipt");
        assertThat(calls).containsExactly("charge C1", "refund C1");
    }

    @Test
    void advisedService_honoursNoRollbackForOfItsAnnotation_X1_R5() {
        assertThatThrownBy(() -> payments.charge("C2", new IllegalArgumentException("bad card")));

        assertThat(kit.scopes()).single().failedWithoutRollback().ranCompensations()
                .discardedCompensations("refund C2");
        assertThat(calls).containsExactly("charge C2");
    }

    @Test
    void advisedService_dispatchMadeToFail_isReportedFailed_theCallStillSucceeds_X1_D3() {
        kit.faults().failCommand("receipt", 1);

        payments.charge("C3", null);

        assertThat(kit.scopes()).single().committed().failedCommands("receipt C3");
        assertThat(calls).containsExactly("charge C3");
    }
}
