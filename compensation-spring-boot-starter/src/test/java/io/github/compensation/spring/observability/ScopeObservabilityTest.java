package io.github.compensation.spring.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Clause O2 with the starter's auto-configuration: meters after known scenarios, an observation per scope, and the
 * scope id in the MDC and the tracing context inside commands, also those that run from a transaction completion
 * callback.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:ops-observability;DB_CLOSE_DELAY=-1")
class ScopeObservabilityTest {

    static final String MDC_KEY = "compensation.scope";

    @SpringBootApplication
    @Import(Shop.class)
    static class App {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

        @Bean
        DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }

    @Service
    static class Shop {

        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final ObservationRegistry observations;
        final List<String> events = new CopyOnWriteArrayList<>();

        Shop(RollbackCommands rollback, DispatchCommands dispatch, ObservationRegistry observations) {
            this.rollback = rollback;
            this.dispatch = dispatch;
            this.observations = observations;
        }

        public List<String> events() {
            return events;
        }

        /** Commits: one dispatch runs; the compensation is not needed. */
        @RollbackOnceFailed
        @DispatchAfterCommit
        public String reserve(String item) {
            String id = Compensations.currentScope().id();
            events.add("method mdc=" + MDC.get(MDC_KEY) + " scope=" + id);
            rollback.append("release " + item, () -> events.add("release " + item));
            dispatch.append("announce " + item, () -> events.add("dispatch mdc=" + MDC.get(MDC_KEY) + " scope="
                    + Compensations.currentScope().id() + " observation=" + describe(observations)));
            return id;
        }

        /** Rolls back: the compensation fails, the cleanup runs. */
        @RollbackOnceFailed
        public void sell(String item) {
            events.add("method mdc=" + MDC.get(MDC_KEY) + " scope=" + Compensations.currentScope().id());
            rollback.appendCleanup("close " + item, () -> events.add("cleanup mdc=" + MDC.get(MDC_KEY)));
            rollback.append("refund " + item, () -> {
                events.add("compensation mdc=" + MDC.get(MDC_KEY));
                throw new IllegalStateException("payments down");
            });
            throw new IllegalArgumentException("out of stock");
        }

        static String describe(ObservationRegistry observations) {
            Observation current = observations.getCurrentObservation();
            if (current == null) {
                return "none";
            }
            Observation.ContextView context = current.getContextView();
            String scope = context.getLowCardinalityKeyValue("scope") == null ? "?"
                    : context.getLowCardinalityKeyValue("scope").getValue();
            Observation.ContextView parent = context.getParentObservation() == null ? null
                    : context.getParentObservation().getContextView();
            return context.getName() + "(" + scope + ") parent=" + (parent == null ? "none" : parent.getName());
        }
    }

    @Autowired
    Shop shop;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TestObservationRegistry observations;

    @Autowired
    PlatformTransactionManager transactionManager;

    @AfterEach
    void mdcIsLeftClean() {
        assertThat(MDC.get(MDC_KEY)).isNull();
        shop.events().clear();
    }

    private double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void o2ScopeIdIsInTheMdcWhileTheMethodAndItsCommandsRun() {
        assertThatThrownBy(() -> shop.sell("lamp")).hasMessage("out of stock");

        String id = shop.events().get(0).substring(shop.events().get(0).indexOf("scope=") + 6);
        assertThat(shop.events()).containsExactly("method mdc=" + id + " scope=" + id, "compensation mdc=" + id,
                "cleanup mdc=" + id);
    }

    @Test
    void o2DispatchRunFromTheTransactionCompletionCallbackSeesTheScopeIdInTheMdcAndItsTraceContext() {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        String[] id = new String[1];

        transaction.executeWithoutResult(status -> {
            Observation request = Observation.start("request", observations);
            try (Observation.Scope opened = request.openScope()) {
                id[0] = shop.reserve("chair");
            }
            request.stop();
            shop.events().add("method returned, transaction still open, mdc=" + MDC.get(MDC_KEY) + " observation="
                    + Shop.describe(observations));
        });

        assertThat(shop.events()).containsExactly(
                "method mdc=" + id[0] + " scope=" + id[0],
                "method returned, transaction still open, mdc=null observation=none",
                "dispatch mdc=" + id[0] + " scope=" + id[0] + " observation=compensation.scope(Shop.reserve) parent=request");
        assertThat(observations.getCurrentObservation()).isNull();
    }

    @Test
    void o2ObservationPerScopeCarriesTheScopeNameAndTheOutcomeWhereKnown() {
        assertThatThrownBy(() -> shop.sell("desk")).hasMessage("out of stock");
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> shop.reserve("stool"));

        TestObservationRegistryAssert.assertThat(observations)
                .hasHandledContextsThatSatisfy(contexts -> {
                    assertThat(contexts).anySatisfy(context -> {
                        assertThat(context.getName()).isEqualTo("compensation.scope");
                        assertThat(context.getLowCardinalityKeyValue("scope").getValue()).isEqualTo("Shop.sell");
                        assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("rolled_back");
                        assertThat(context.getError()).hasMessage("out of stock");
                    });
                    assertThat(contexts).anySatisfy(context -> {
                        assertThat(context.getName()).isEqualTo("compensation.scope");
                        assertThat(context.getLowCardinalityKeyValue("scope").getValue()).isEqualTo("Shop.reserve");
                        assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("pending");
                    });
                });
    }

    @Test
    void o2MetersCountScopesByOutcomeAndCommandsByKindAndStatusAndGaugeWorkNeedingAttention() {
        double committed = count("compensation.scopes", "outcome", "committed");
        double rolledBack = count("compensation.scopes", "outcome", "rolled_back");
        double dispatched = count("compensation.commands", "kind", "dispatch", "status", "done");
        double notNeeded = count("compensation.commands", "kind", "compensation", "status", "discarded");
        double failed = count("compensation.commands", "kind", "compensation", "status", "failed");
        double cleanups = count("compensation.commands", "kind", "cleanup", "status", "done");
        Gauge attention = meters.find("compensation.attention").tag("state", "failed").gauge();
        assertThat(attention).isNotNull();
        double failedScopes = attention.value();

        shop.reserve("table");
        assertThatThrownBy(() -> shop.sell("sofa")).hasMessage("out of stock");

        assertThat(count("compensation.scopes", "outcome", "committed")).isEqualTo(committed + 1);
        assertThat(count("compensation.scopes", "outcome", "rolled_back")).isEqualTo(rolledBack + 1);
        assertThat(count("compensation.commands", "kind", "dispatch", "status", "done")).isEqualTo(dispatched + 1);
        assertThat(count("compensation.commands", "kind", "compensation", "status", "discarded"))
                .isEqualTo(notNeeded + 1);
        assertThat(count("compensation.commands", "kind", "compensation", "status", "failed")).isEqualTo(failed + 1);
        assertThat(count("compensation.commands", "kind", "cleanup", "status", "done")).isEqualTo(cleanups + 1);
        assertThat(attention.value()).isEqualTo(failedScopes + 1);
        assertThat(meters.find("compensation.attention").tag("state", "pending").gauge()).isNotNull();
    }

    @Test
    void h1RolledBackScopeLogsOneReadableBlockWithTheScopeIdAndEveryCommand(CapturedOutput output) {
        assertThatThrownBy(() -> shop.sell("bench")).hasMessage("out of stock");

        String event = shop.events().get(0);
        String id = event.substring(event.indexOf("scope=") + 6);
        String header = "compensation scope " + id + " Shop.sell rolled back after ";
        assertThat(output.getOut().split(java.util.regex.Pattern.quote(header), -1)).hasSize(2);
        String block = output.getOut().substring(output.getOut().indexOf(header));
        String[] lines = block.split("\\R");
        assertThat(lines[0]).matches(java.util.regex.Pattern.quote(header)
                + "\\d+ ms: IllegalArgumentException: out of stock");
        assertThat(lines[1]).isEqualTo("  rollback  refund bench   FAILED 1/1      IllegalStateException: payments down");
        assertThat(lines[2]).matches("  cleanup   close bench    done            \\d+ ms");
    }
}
