package io.github.compensation.spring.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import io.github.compensation.spring.autoconfigure.CompensationEndpointAutoConfiguration;
import io.github.compensation.spring.autoconfigure.CompensationHistoryAutoConfiguration;
import io.github.compensation.spring.autoconfigure.CompensationObservabilityAutoConfiguration;
import io.github.compensation.spring.observability.CompensationMetrics;
import io.github.compensation.spring.observability.ScopeContextListener;
import io.github.compensation.spring.observability.ScopeObservationListener;
import io.github.compensation.store.InMemoryScopeStore;
import io.github.compensation.store.ScopeQuery;
import io.github.compensation.store.ScopeStore;
import io.github.compensation.store.StoredScope;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The operations auto-configuration (O1, O2): what it defines, what backs off, and what switches it off. */
class OperationsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(CompensationAutoConfiguration.class, CompensationHistoryAutoConfiguration.class,
                    CompensationObservabilityAutoConfiguration.class, CompensationEndpointAutoConfiguration.class));

    @Test
    void o1o2DefaultsKeepScopesInMemoryAndPutTheScopeIdInTheMdcOfCommands() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(InMemoryScopeStore.class).hasSingleBean(ScopeContextListener.class)
                    .hasSingleBean(CompensationMetrics.class).doesNotHaveBean(ScopeObservationListener.class)
                    .doesNotHaveBean(CompensationsEndpoint.class);
            assertThat(context.getBean(InMemoryScopeStore.class)).hasToString(
                    "InMemoryScopeStore[history 100, attention 1000]");
        });
    }

    @Test
    void o1EndpointExistsOnlyWhenExposedAndNotWithAccessNone() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=compensations")
                .run(context -> assertThat(context).hasSingleBean(CompensationsEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=compensations",
                "management.endpoint.compensations.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(CompensationsEndpoint.class));
    }

    @Test
    void o1HistorySizesComeFromPropertiesAndHistoryCanBeSwitchedOff() {
        runner.withPropertyValues("compensation.history.size=5", "compensation.history.attention-size=7")
                .run(context -> assertThat(context.getBean(InMemoryScopeStore.class))
                        .hasToString("InMemoryScopeStore[history 5, attention 7]"));
        runner.withPropertyValues("compensation.history.enabled=false",
                "management.endpoints.web.exposure.include=compensations")
                .run(context -> assertThat(context).doesNotHaveBean(ScopeStore.class)
                        .doesNotHaveBean(CompensationsEndpoint.class));
        runner.withPropertyValues("compensation.history.attention-size=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("compensation.history.attention-size must be at least 1"));
    }

    @Test
    void o1ApplicationScopeStoreReplacesTheInMemoryOneAndBacksTheEndpoint() {
        ScopeStore journal = new ScopeStore() {
            @Override
            public List<StoredScope> find(ScopeQuery query) {
                return List.of();
            }

            @Override
            public Optional<StoredScope> get(String id) {
                return Optional.empty();
            }

            @Override
            public Optional<StoredScope> retry(String id, String by, String note) {
                return Optional.empty();
            }

            @Override
            public Optional<StoredScope> resolve(String id, String by, String note) {
                return Optional.empty();
            }

            @Override
            public Optional<StoredScope> discard(String id, String by, String note) {
                return Optional.empty();
            }

            @Override
            public Optional<StoredScope> note(String id, String by, String note) {
                return Optional.empty();
            }

            @Override
            public Map<io.github.compensation.store.ScopeState, Long> counts() {
                return Map.of();
            }
        };
        runner.withBean(ScopeStore.class, () -> journal)
                .withPropertyValues("management.endpoints.web.exposure.include=compensations")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(InMemoryScopeStore.class)
                            .hasSingleBean(CompensationsEndpoint.class);
                    assertThat(context.getBean(ScopeStore.class)).isSameAs(journal);
                });
    }

    @Test
    void o2ObservationPerScopeNeedsAnObservationRegistryAndEverythingCanBeSwitchedOff() {
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context).hasSingleBean(ScopeObservationListener.class));
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withPropertyValues("compensation.observability.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ScopeObservationListener.class)
                            .doesNotHaveBean(ScopeContextListener.class).doesNotHaveBean(CompensationMetrics.class);
                    assertThat(context).hasSingleBean(CompensationTemplate.class).hasSingleBean(CommandRunner.class);
                });
    }
}
