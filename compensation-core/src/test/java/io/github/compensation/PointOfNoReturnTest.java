package io.github.compensation;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R7: discarding the compensations registered so far (cleanups stay). */
class PointOfNoReturnTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @Test
    void r7_discardAllDropsTheCompensationsRegisteredSoFarButCleanupsAndLaterCompensationsStillRun() {
        IllegalStateException failure = new IllegalStateException("mail server down");

        Throwable thrown = catchThrowable(() -> template.execute("Orders.ship", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendCleanup("B", () -> calls.add("cleanup B"));
            rollback.append("C", () -> calls.add("undo C"));
            rollback.discardAll();
            rollback.append("D", () -> calls.add("undo D"));
            rollback.appendCleanup("E", () -> calls.add("cleanup E"));
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).containsExactly("cleanup E", "undo D", "cleanup B");
        assertThat(reports.get(0).commands())
                .extracting(CommandReport::kind, CommandReport::description, CommandReport::status,
                        CommandReport::attempts, CommandReport::note)
                .containsExactly(tuple(CommandKind.CLEANUP, "E", CommandStatus.DONE, 1, null),
                        tuple(CommandKind.COMPENSATION, "D", CommandStatus.DONE, 1, null),
                        tuple(CommandKind.CLEANUP, "B", CommandStatus.DONE, 1, null),
                        tuple(CommandKind.COMPENSATION, "C", CommandStatus.DISCARDED, 0,
                                "discarded at the point of no return"),
                        tuple(CommandKind.COMPENSATION, "A", CommandStatus.DISCARDED, 0,
                                "discarded at the point of no return"));
    }

    @Test
    void r7_discardAllDropsBottomCompensationsToo() {
        catchThrowable(() -> template.execute("Orders.ship", () -> {
            rollback.appendToBottom("release lock", () -> calls.add("release lock"));
            rollback.append("A", () -> calls.add("undo A"));
            rollback.discardAll();
            throw new IllegalStateException("failed");
        }));

        assertThat(calls).isEmpty();
    }

    @Test
    void r7_discardAllLeavesTheDispatchQueueAlone() {
        template.execute("Orders.ship", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            dispatch.append("publish OrderShipped", () -> calls.add("publish OrderShipped"));
            rollback.discardAll();
            return null;
        });

        assertThat(calls).containsExactly("publish OrderShipped");
    }

    @Test
    void r7_discardAllInANestedScopeLeavesTheEnclosingScopesCompensationsAlone() {
        catchThrowable(() -> template.execute("Outer.run", () -> {
            rollback.append("outer A", () -> calls.add("undo outer A"));
            template.execute("Inner.run", () -> {
                rollback.append("inner B", () -> calls.add("undo inner B"));
                rollback.discardAll();
                rollback.append("inner C", () -> calls.add("undo inner C"));
                return null;
            });
            throw new IllegalStateException("outer failed");
        }));

        assertThat(calls).containsExactly("undo inner C", "undo outer A");
    }

    @Test
    void r7_discardAllAlsoDropsCompensationsThatAReturnedNestedScopeHandedOver() {
        catchThrowable(() -> template.execute("Outer.run", () -> {
            rollback.append("outer A", () -> calls.add("undo outer A"));
            template.execute("Inner.run", () -> {
                rollback.append("inner B", () -> calls.add("undo inner B"));
                rollback.appendCleanup("inner cleanup", () -> calls.add("inner cleanup"));
                return null;
            });
            rollback.discardAll();
            rollback.append("outer D", () -> calls.add("undo outer D"));
            throw new IllegalStateException("outer failed");
        }));

        assertThat(calls).containsExactly("undo outer D", "inner cleanup");
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.commands())
                .filteredOn(command -> command.status() == CommandStatus.DISCARDED)
                .extracting(CommandReport::description).containsExactly("inner B", "outer A"));
    }
}
