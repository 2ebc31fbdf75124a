package io.github.compensation.spring.observability;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.Outcome;
import io.github.compensation.spi.ScopeExecutionListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * One Micrometer {@link Observation} named {@value #NAME} per scope (clause O2), from the moment it opens until the
 * call that opened it returns or throws, its synchronous settling included; it is the current observation while the
 * scope's method runs, so spans of the method's work are its children. Low-cardinality key values: {@code scope}
 * (the scope's name) and {@code outcome} ({@code committed}, {@code rolled_back}, {@code unknown},
 * {@code failed_no_rollback}, or {@code pending} when the scope settles later, with its transaction, or joins an
 * enclosing scope); high-cardinality: {@code scope.id}. What the observation becomes (a timer, a span) is up to the
 * handlers registered with the registry. Thread-safe.
 */
public class ScopeObservationListener implements ScopeExecutionListener, Ordered {

    /** The observation's name. */
    public static final String NAME = "compensation.scope";

    /** The order of this listener among scope execution listeners: before {@link ScopeContextListener}. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final String OBSERVATION = ScopeObservationListener.class.getName() + ".observation";

    private static final String OBSERVATION_SCOPE = ScopeObservationListener.class.getName() + ".scope";

    private final ObservationRegistry registry;

    /**
     * Creates the listener.
     *
     * @param registry where observations go
     */
    public ScopeObservationListener(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeScope(CompensationScope scope) {
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("compensation " + scope.name())
                .lowCardinalityKeyValue("scope", scope.name())
                .highCardinalityKeyValue("scope.id", scope.id())
                .start();
        scope.setAttribute(OBSERVATION, observation);
        scope.setAttribute(OBSERVATION_SCOPE, observation.openScope());
    }

    @Override
    public void afterScope(CompensationScope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
        Object opened = scope.getAttribute(OBSERVATION_SCOPE);
        Object started = scope.getAttribute(OBSERVATION);
        scope.setAttribute(OBSERVATION_SCOPE, null);
        scope.setAttribute(OBSERVATION, null);
        if (opened instanceof Observation.Scope observationScope) {
            observationScope.close();
        }
        if (started instanceof Observation observation) {
            observation.lowCardinalityKeyValue("outcome",
                    outcome == null ? "pending" : outcome.name().toLowerCase(Locale.ROOT));
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
