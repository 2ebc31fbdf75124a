package io.github.compensation;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R5: which exceptions trigger the compensations; rollbackFor / noRollbackFor, closest superclass wins. */
class RollbackRulesTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @Test
    void r5_byDefaultACheckedExceptionTriggersTheCompensations() {
        IOException checked = new IOException("remote closed the connection");

        Throwable thrown = catchThrowable(() -> runScope(ScopeDefinition.named("Files.upload"), checked));

        assertThat(thrown).isSameAs(checked);
        assertThat(calls).containsExactly("cleanup", "undo");
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void r5_byDefaultEveryThrowableTriggersEvenOneThatIsNeitherExceptionNorError() {
        Throwable bare = new CustomThrowable("neither exception nor error");

        Throwable thrown = catchThrowable(() -> runScope(ScopeDefinition.named("Files.upload"), bare));

        assertThat(thrown).isSameAs(bare);
        assertThat(calls).containsExactly("cleanup", "undo");
    }

    @Test
    void r5_anExceptionExcludedByNoRollbackForRunsCleanupsOnlyAndDropsTheDispatches() {
        ScopeDefinition definition = ScopeDefinition.named("Orders.place")
                .withRules(new RollbackRules(List.of(), List.of(IllegalArgumentException.class)));
        NumberFormatException subclassOfExcluded = new NumberFormatException("quantity: 'x'");

        Throwable thrown = catchThrowable(() -> runScope(definition, subclassOfExcluded));

        assertThat(thrown).isSameAs(subclassOfExcluded);
        assertThat(calls).containsExactly("cleanup");
        ScopeReport report = reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.FAILED_NO_ROLLBACK);
        assertThat(report.cause()).isSameAs(subclassOfExcluded);
        assertThat(report.commands())
                .extracting(CommandReport::kind, CommandReport::description, CommandReport::status,
                        CommandReport::note)
                .containsExactly(tuple(CommandKind.CLEANUP, "cleanup", CommandStatus.DONE, null),
                        tuple(CommandKind.COMPENSATION, "undo", CommandStatus.DISCARDED,
                                "the scope failed without rollback"),
                        tuple(CommandKind.DISPATCH, "publish", CommandStatus.DISCARDED,
                                "not committed: failed no rollback"));
    }

    @Test
    void r5_closestSuperclassWins_rollbackForReincludesASubtypeOfAnExcludedType() {
        ScopeDefinition definition = ScopeDefinition.named("Orders.place").withRules(
                new RollbackRules(List.of(IllegalArgumentException.class), List.of(RuntimeException.class)));

        catchThrowable(() -> runScope(definition, new NumberFormatException("closest rule: rollbackFor")));
        assertThat(calls).containsExactly("cleanup", "undo");

        calls.clear();
        catchThrowable(() -> runScope(definition, new IllegalStateException("closest rule: noRollbackFor")));
        assertThat(calls).containsExactly("cleanup");

        assertThat(reports).extracting(ScopeReport::outcome)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.FAILED_NO_ROLLBACK);
    }

    @Test
    void r5_closestSuperclassWins_noRollbackForExcludesASubtypeOfATriggeringType() {
        ScopeDefinition definition = ScopeDefinition.named("Files.upload")
                .withRules(new RollbackRules(List.of(Exception.class), List.of(IOException.class)));

        catchThrowable(() -> runScope(definition, new FileNotFoundException("closest rule: noRollbackFor")));
        catchThrowable(() -> runScope(definition, new InterruptedException("closest rule: rollbackFor")));
        catchThrowable(() -> runScope(definition, new IllegalStateException("closest rule: rollbackFor")));

        assertThat(reports).extracting(ScopeReport::outcome)
                .containsExactly(Outcome.FAILED_NO_ROLLBACK, Outcome.ROLLED_BACK, Outcome.ROLLED_BACK);
    }

    @Test
    void r5_anExceptionNoRuleMatchesStillTriggers() {
        ScopeDefinition definition = ScopeDefinition.named("Files.upload")
                .withRules(new RollbackRules(List.of(IOException.class), List.of(IllegalArgumentException.class)));

        catchThrowable(() -> runScope(definition, new IllegalStateException("no rule matches")));
        catchThrowable(() -> runScope(definition, new AssertionError("no rule matches")));

        assertThat(reports).extracting(ScopeReport::outcome)
                .containsExactly(Outcome.ROLLED_BACK, Outcome.ROLLED_BACK);
    }

    @Test
    void r5_rulesMatchTypesExactlyAtEveryDistance() {
        RollbackRules rules = new RollbackRules(List.of(IllegalArgumentException.class, Error.class),
                List.of(RuntimeException.class, Throwable.class));

        assertThat(rules.triggersRollback(new IllegalArgumentException())).as("distance 0 vs 1").isTrue();
        assertThat(rules.triggersRollback(new NumberFormatException())).as("distance 1 vs 2").isTrue();
        assertThat(rules.triggersRollback(new IllegalStateException())).as("distance 1 vs -").isFalse();
        assertThat(rules.triggersRollback(new RuntimeException())).as("distance 0 vs -").isFalse();
        assertThat(rules.triggersRollback(new IOException())).as("only Throwable matches").isFalse();
        assertThat(rules.triggersRollback(new StackOverflowError())).as("Error closer than Throwable").isTrue();
    }

    @Test
    void r5_onATieTheRollbackRuleWins() {
        RollbackRules rules = new RollbackRules(List.of(IOException.class), List.of(IOException.class));

        assertThat(rules.triggersRollback(new IOException())).isTrue();
        assertThat(rules.triggersRollback(new FileNotFoundException())).isTrue();
    }

    @Test
    void r5_defaultRulesTriggerOnEverything() {
        assertThat(RollbackRules.ALL.triggersRollback(new Exception())).isTrue();
        assertThat(RollbackRules.ALL.triggersRollback(new IOException())).isTrue();
        assertThat(RollbackRules.ALL.triggersRollback(new Error())).isTrue();
        assertThat(RollbackRules.ALL.triggersRollback(new Throwable())).isTrue();
        assertThat(ScopeDefinition.named("x").rules()).isEqualTo(RollbackRules.ALL);
    }

    @Test
    void r5_rulesAreCopiedAndNullListsAreRejectedWithTheirName() {
        List<Class<? extends Throwable>> types = new ArrayList<>(List.of(IOException.class));
        RollbackRules rules = new RollbackRules(List.of(), types);
        types.clear();

        assertThat(rules.noRollbackFor()).containsExactly(IOException.class);
        assertThatNullPointerException().isThrownBy(() -> new RollbackRules(null, List.of()))
                .withMessage("rollbackFor must not be null");
        assertThatNullPointerException().isThrownBy(() -> new RollbackRules(List.of(), null))
                .withMessage("noRollbackFor must not be null");
    }

    private void runScope(ScopeDefinition definition, Throwable failure) throws Throwable {
        template.<Void, Throwable>execute(definition, () -> {
            rollback.append("undo", () -> calls.add("undo"));
            rollback.appendCleanup("cleanup", () -> calls.add("cleanup"));
            dispatch.append("publish", () -> calls.add("publish"));
            throw failure;
        });
    }

    static final class CustomThrowable extends Throwable {
        CustomThrowable(String message) {
            super(message);
        }
    }
}
