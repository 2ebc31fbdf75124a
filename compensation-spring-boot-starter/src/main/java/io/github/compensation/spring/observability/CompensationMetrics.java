package io.github.compensation.spring.observability;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.CommandReport;
import io.github.compensation.ScopeReport;
import io.github.compensation.store.ScopeState;
import io.github.compensation.store.ScopeStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Meters for scopes and commands (clause O2), bound to every {@link MeterRegistry} it is given (Spring Boot binds
 * {@link MeterBinder} beans to its registries):
 * <ul>
 * <li>{@value #SCOPES}: counter of settled scopes, tag {@code outcome} ({@code committed}, {@code rolled_back},
 * {@code unknown}, {@code failed_no_rollback});</li>
 * <li>{@value #COMMANDS}: counter of commands of settled scopes, tags {@code kind} ({@code compensation},
 * {@code cleanup}, {@code dispatch}) and {@code status} ({@code done}, {@code failed}, {@code discarded},
 * {@code pending});</li>
 * <li>{@value #ATTENTION}: gauge of kept scopes that need a person, tag {@code state} ({@code failed}: a command failed
 * or a dispatch is dead; {@code pending}: the outcome is unknown and compensations wait), read from the
 * {@link ScopeStore} when there is one.</li>
 * </ul>
 * Scopes that settle before the meters are bound are not counted. Thread-safe.
 */
public class CompensationMetrics implements MeterBinder, ScopeListener {

    /** Counter of settled scopes by outcome. */
    public static final String SCOPES = "compensation.scopes";

    /** Counter of commands by kind and status. */
    public static final String COMMANDS = "compensation.commands";

    /** Gauge of scopes needing attention by state. */
    public static final String ATTENTION = "compensation.attention";

    private final @Nullable ScopeStore store;

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    /**
     * Creates the meters.
     *
     * @param store where scopes needing attention are kept, or {@code null} for no attention gauges
     */
    public CompensationMetrics(@Nullable ScopeStore store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ScopeStore scopes = store;
        if (scopes != null) {
            for (ScopeState state : List.of(ScopeState.FAILED, ScopeState.PENDING)) {
                Gauge.builder(ATTENTION, scopes, kept -> kept.counts().getOrDefault(state, 0L))
                        .tag("state", lower(state))
                        .description("Scopes that need a person: a command failed, or the outcome is unknown")
                        .register(registry);
            }
        }
        registries.add(registry);
    }

    @Override
    public void scopeFinished(ScopeReport report) {
        for (MeterRegistry registry : registries) {
            Counter.builder(SCOPES).tag("outcome", lower(report.outcome()))
                    .description("Settled compensation scopes").register(registry).increment();
            for (CommandReport command : report.commands()) {
                Counter.builder(COMMANDS).tag("kind", lower(command.kind())).tag("status", lower(command.status()))
                        .description("Commands of settled compensation scopes").register(registry).increment();
            }
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
