package io.github.compensation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spi.ScopeSavepoint;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * What the engine's cheaper call path must keep: work handed its argument instead of capturing it settles exactly like
 * a callback (R1, R4, D1, N3), and a command entry, now packed into fewer fields, still reports everything it did
 * (R8, R11, S1, H1).
 */
class HotPathTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @Test
    void d1_workHandedItsArgumentReturnsItsResultAndDispatchesAfterTheScopeCommitted() {
        String result = template.execute(ScopeDefinition.named("Orders.place"), "order 7", order -> {
            rollback.append("cancel " + order, () -> calls.add("cancel " + order));
            dispatch.append("announce " + order, () -> calls.add("announce " + order));
            calls.add("placed " + order);
            return order.toUpperCase();
        });

        assertThat(result).isEqualTo("ORDER 7");
        assertThat(calls).containsExactly("placed order 7", "announce order 7");
        assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.COMMITTED);
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void r1_r4_workHandedItsArgumentThatThrowsUndoesNewestFirstAndTheCallerSeesTheSameException() {
        IllegalStateException declined = new IllegalStateException("card declined");

        Throwable thrown = catchThrowable(() -> template.execute(ScopeDefinition.named("Orders.place"), 7,
                (Integer order) -> {
                    rollback.append("release stock", () -> calls.add("release stock " + order));
                    rollback.append("refund", () -> calls.add("refund " + order));
                    dispatch.append("announce", () -> calls.add("announce " + order));
                    throw declined;
                }));

        assertThat(thrown).isSameAs(declined);
        assertThat(calls).containsExactly("refund 7", "release stock 7");
        assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void s1_r8_aCompensationThatFailedWhenItsSavepointRolledBackReportsItsErrorAndWhyItRanEarly() {
        IllegalStateException refused = new IllegalStateException("refused");

        template.execute("Trips.book", () -> {
            rollback.appendCleanup("close file", () -> calls.add("close file"));
            ScopeSavepoint savepoint = Objects.requireNonNull(template.createSavepoint());
            rollback.append("cancel hotel", () -> {
                throw refused;
            });
            dispatch.append("hotel booked", () -> calls.add("hotel booked"));
            savepoint.rollback();
            return null;
        });

        assertThat(reports).singleElement().extracting(ScopeReport::commands).asList()
                .extracting("kind", "description", "status", "attempts", "error", "note")
                .containsExactly(
                        tuple(CommandKind.COMPENSATION, "cancel hotel", CommandStatus.FAILED, 1, refused,
                                "ran when its transaction rolled back to a savepoint"),
                        tuple(CommandKind.CLEANUP, "close file", CommandStatus.DONE, 1, null, null),
                        tuple(CommandKind.DISPATCH, "hotel booked", CommandStatus.DISCARDED, 0, null,
                                "dropped: its transaction rolled back to a savepoint"));
        assertThat(calls).containsExactly("close file");
    }

    @Test
    void r11_aHandleTurnedIntoACleanupAndAWithdrawnOneKeepTheirKindAndNoteInTheReport() {
        template.execute("Files.convert", () -> {
            rollback.append("delete temp file", () -> calls.add("delete temp file")).runAlways();
            rollback.append("undo upload", () -> calls.add("undo upload")).withdraw("uploaded elsewhere");
            return null;
        });

        assertThat(calls).containsExactly("delete temp file");
        assertThat(reports).singleElement().extracting(ScopeReport::commands).asList()
                .extracting("kind", "description", "status", "note")
                .containsExactly(
                        tuple(CommandKind.COMPENSATION, "undo upload", CommandStatus.DISCARDED,
                                "withdrawn: uploaded elsewhere"),
                        tuple(CommandKind.CLEANUP, "delete temp file", CommandStatus.DONE, null));
    }
}
