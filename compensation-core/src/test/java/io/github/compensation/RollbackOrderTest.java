package io.github.compensation;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R1 (newest first, only on rollback), R2 (bottom of the stack), R3 (cleanups interleaved with compensations). */
class RollbackOrderTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();

    @Test
    void r1_compensationsRunNewestFirstWhenTheScopeRollsBack() {
        IllegalStateException declined = new IllegalStateException("card declined");

        assertThatThrownBy(() -> template.execute("TripService.book", () -> {
            calls.add("reserve flight");
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            calls.add("reserve hotel");
            rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
            calls.add("reserve car");
            rollback.append("cancel car", () -> calls.add("cancel car"));
            throw declined;
        })).isSameAs(declined);

        assertThat(calls).containsExactly("reserve flight", "reserve hotel", "reserve car",
                "cancel car", "cancel hotel", "cancel flight");
        ScopeReport report = onlyReport();
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(report.commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("cancel car", CommandStatus.DONE), tuple("cancel hotel", CommandStatus.DONE),
                        tuple("cancel flight", CommandStatus.DONE));
    }

    @Test
    void r1_compensationsDoNotRunWhenTheScopeCommits() {
        String trip = template.execute("TripService.book", () -> {
            calls.add("reserve flight");
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            calls.add("reserve hotel");
            rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
            return "trip 42";
        });

        assertThat(trip).isEqualTo("trip 42");
        assertThat(calls).containsExactly("reserve flight", "reserve hotel");
        ScopeReport report = onlyReport();
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(report.commands())
                .extracting(CommandReport::description, CommandReport::status, CommandReport::attempts,
                        CommandReport::note)
                .containsExactly(tuple("cancel hotel", CommandStatus.DISCARDED, 0, "not needed: committed"),
                        tuple("cancel flight", CommandStatus.DISCARDED, 0, "not needed: committed"));
    }

    @Test
    void r1_aCompensationRegisteredAfterTheFailingStepIsNeverReachedSoOnlyRegisteredOnesRun() {
        assertThatThrownBy(() -> template.execute("TripService.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            calls.add("reserve hotel fails");
            throw new IllegalStateException("no rooms");
        })).hasMessage("no rooms");

        assertThat(calls).containsExactly("reserve hotel fails", "cancel flight");
    }

    @Test
    void r2_aCompensationAppendedToTheBottomRunsAfterAllOthers() {
        assertThatThrownBy(() -> template.execute("Orders.place", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendToBottom("release lock", () -> calls.add("release lock"));
            rollback.append("C", () -> calls.add("undo C"));
            rollback.append("D", () -> calls.add("undo D"));
            throw new IllegalStateException("failed");
        })).hasMessage("failed");

        assertThat(calls).containsExactly("undo D", "undo C", "undo A", "release lock");
    }

    @Test
    void r2_aLaterBottomCommandGoesBelowAnEarlierOneAndRunsLast() {
        assertThatThrownBy(() -> template.execute("Orders.place", () -> {
            rollback.appendToBottom("bottom 1", () -> calls.add("bottom 1"));
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendToBottom("bottom 2", () -> calls.add("bottom 2"));
            throw new IllegalStateException("failed");
        })).hasMessage("failed");

        assertThat(calls).containsExactly("undo A", "bottom 1", "bottom 2");
    }

    @Test
    void r2_aBottomCompensationDoesNotRunOnCommit() {
        template.execute("Orders.place", () -> {
            rollback.appendToBottom("release lock", () -> calls.add("release lock"));
            return null;
        });

        assertThat(calls).isEmpty();
        assertThat(onlyReport().commands()).singleElement()
                .satisfies(command -> assertThat(command.status()).isEqualTo(CommandStatus.DISCARDED));
    }

    @Test
    void r3_onRollbackCleanupsInterleaveWithCompensationsByRegistrationOrder() {
        assertThatThrownBy(() -> template.execute("Files.convert", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendCleanup("B", () -> calls.add("cleanup B"));
            rollback.append("C", () -> calls.add("undo C"));
            throw new IllegalStateException("conversion failed");
        })).hasMessage("conversion failed");

        assertThat(calls).containsExactly("undo C", "cleanup B", "undo A");
        assertThat(onlyReport().commands())
                .extracting(CommandReport::kind, CommandReport::description, CommandReport::status)
                .containsExactly(tuple(CommandKind.COMPENSATION, "C", CommandStatus.DONE),
                        tuple(CommandKind.CLEANUP, "B", CommandStatus.DONE),
                        tuple(CommandKind.COMPENSATION, "A", CommandStatus.DONE));
    }

    @Test
    void r3_onCommitOnlyCleanupsRunNewestFirst() {
        template.execute("Files.convert", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendCleanup("B", () -> calls.add("cleanup B"));
            rollback.append("C", () -> calls.add("undo C"));
            rollback.appendCleanup("D", () -> calls.add("cleanup D"));
            calls.add("method returns");
            return null;
        });

        assertThat(calls).containsExactly("method returns", "cleanup D", "cleanup B");
        assertThat(onlyReport().commands())
                .extracting(CommandReport::kind, CommandReport::description, CommandReport::status)
                .containsExactly(tuple(CommandKind.CLEANUP, "D", CommandStatus.DONE),
                        tuple(CommandKind.COMPENSATION, "C", CommandStatus.DISCARDED),
                        tuple(CommandKind.CLEANUP, "B", CommandStatus.DONE),
                        tuple(CommandKind.COMPENSATION, "A", CommandStatus.DISCARDED));
    }

    @Test
    void r3_onAFailureExcludedByTheRulesOnlyCleanupsRun() {
        ScopeDefinition definition = ScopeDefinition.named("Files.convert")
                .withRules(new RollbackRules(List.of(), List.of(IllegalArgumentException.class)));
        IllegalArgumentException invalid = new IllegalArgumentException("bad input");

        assertThatThrownBy(() -> template.execute(definition, () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendCleanup("B", () -> calls.add("cleanup B"));
            rollback.append("C", () -> calls.add("undo C"));
            throw invalid;
        })).isSameAs(invalid);

        assertThat(calls).containsExactly("cleanup B");
        assertThat(onlyReport().outcome()).isEqualTo(Outcome.FAILED_NO_ROLLBACK);
    }

    @Test
    void r3_aFailingCleanupOnCommitDoesNotFailTheCallAndTheOtherCleanupsStillRun() {
        IllegalStateException deleteFailed = new IllegalStateException("cannot delete temp file");

        String result = template.execute("Files.convert", () -> {
            rollback.appendCleanup("close stream", () -> calls.add("close stream"));
            rollback.appendCleanup("delete temp file", () -> {
                calls.add("delete temp file");
                throw deleteFailed;
            });
            return "converted";
        });

        assertThat(result).isEqualTo("converted");
        assertThat(calls).containsExactly("delete temp file", "close stream");
        assertThat(onlyReport().commands())
                .extracting(CommandReport::description, CommandReport::status, CommandReport::error)
                .containsExactly(tuple("delete temp file", CommandStatus.FAILED, deleteFailed),
                        tuple("close stream", CommandStatus.DONE, null));
    }

    private ScopeReport onlyReport() {
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }
}
