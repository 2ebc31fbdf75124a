package io.github.compensation.spring.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.Outcome;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import io.github.compensation.support.SimpleCommandRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Clause O2 without a Spring context: the MDC key inside commands, the thread's MDC as it was after them, and the
 * context copied only for scopes whose commands run after their call.
 */
class ScopeContextCommandRunnerTest {

    private final CompensationTemplate template = CompensationTemplate.builder()
            .executionListener(new ScopeContextListener())
            .commandRunner(new ScopeContextCommandRunner(new SimpleCommandRunner()))
            .build();

    @AfterEach
    void clearMdc() {
        MDC.remove(ScopeContextListener.MDC_KEY);
    }

    @Test
    void o2CommandsSeeTheScopeIdAndTheMdcIsPutBackAfterTheScope() {
        List<String> seen = new ArrayList<>();
        MDC.put(ScopeContextListener.MDC_KEY, "outer");

        String id = template.execute("A.a", () -> {
            Compensations.dispatchCommands().append("announce",
                    () -> seen.add(MDC.get(ScopeContextListener.MDC_KEY)));
            return Compensations.currentScope().id();
        });

        assertThat(seen).containsExactly(id);
        assertThat(MDC.get(ScopeContextListener.MDC_KEY)).isEqualTo("outer");
    }

    @Test
    void o2CommandThatChangesTheMdcKeyDoesNotLeakIntoTheNextCommand() {
        List<String> seen = new ArrayList<>();

        String id = template.execute("A.a", () -> {
            Compensations.dispatchCommands().append("first",
                    () -> MDC.put(ScopeContextListener.MDC_KEY, "changed by a command"));
            Compensations.dispatchCommands().append("second",
                    () -> seen.add(MDC.get(ScopeContextListener.MDC_KEY)));
            return Compensations.currentScope().id();
        });

        assertThat(seen).containsExactly(id);
        assertThat(MDC.get(ScopeContextListener.MDC_KEY)).isNull();
    }

    @Test
    void o2ScopeThatSettlesDuringItsCallKeepsNoCopyOfTheContextItsCommandsAlreadyRanIn() {
        List<String> seen = new ArrayList<>();

        CompensationScope scope = template.execute("A.a", () -> {
            Compensations.dispatchCommands().append("announce",
                    () -> seen.add(MDC.get(ScopeContextListener.MDC_KEY)));
            return Compensations.currentScope();
        });

        assertThat(seen).containsExactly(scope.id());
        assertThat(scope.getAttribute(ScopeContextListener.SNAPSHOT)).isNull();
    }

    @Test
    void o2ScopeWhoseCommandsRunAfterItsCallCarriesTheContextAndItsIdToThem() {
        List<Consumer<Outcome>> completions = new ArrayList<>();
        CompensationTemplate waiting = CompensationTemplate.builder()
                .executionListener(new ScopeContextListener())
                .commandRunner(new ScopeContextCommandRunner(new SimpleCommandRunner()))
                .transactionBridge(new TransactionBridge() {
                    @Override
                    public boolean settleOnCompletion(Consumer<Outcome> settle) {
                        return completions.add(settle);
                    }

                    @Override
                    public void runDetached(Runnable action) {
                        action.run();
                    }
                })
                .build();
        List<String> seen = new ArrayList<>();

        CompensationScope scope = waiting.execute("A.a", () -> {
            Compensations.dispatchCommands().append("announce",
                    () -> seen.add(MDC.get(ScopeContextListener.MDC_KEY)));
            return Compensations.currentScope();
        });
        assertThat(MDC.get(ScopeContextListener.MDC_KEY)).isNull();
        completions.forEach(completion -> completion.accept(Outcome.COMMITTED));

        assertThat(scope.getAttribute(ScopeContextListener.SNAPSHOT)).isNotNull();
        assertThat(seen).containsExactly(scope.id());
        assertThat(MDC.get(ScopeContextListener.MDC_KEY)).isNull();
    }
}
