package io.github.compensation.spring.observability;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.Outcome;
import io.github.compensation.spi.ScopeExecutionListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Puts the scope id in the SLF4J MDC under {@value #MDC_KEY} while the scope's method runs (clause O2), and, for a
 * scope whose commands run after its call returned (it waits for its transaction, or for the stage its method
 * returned), captures the thread's context as the call ends (with Micrometer's context propagation on the classpath:
 * the current observation and trace, and whatever else is registered), so that {@link ScopeContextCommandRunner}
 * restores both around those commands. The context is captured when the call ends rather than when it starts because
 * most scopes settle during their call, on their own thread, where the context is still in place: they need no copy
 * of it. It is the same context either way: this listener's closing hook runs before that of
 * {@link ScopeObservationListener} (ordered before it), so the captured context holds the scope's own observation.
 * Thread-safe.
 */
public class ScopeContextListener implements ScopeExecutionListener, Ordered {

    /** The MDC key holding the id of the scope whose work or commands run on the thread. */
    public static final String MDC_KEY = "compensation.scope";

    /** The order of this listener among scope execution listeners. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

    static final String SNAPSHOT = ScopeContextListener.class.getName() + ".snapshot";

    private static final String PREVIOUS_MDC = ScopeContextListener.class.getName() + ".previousMdc";

    private static final boolean CONTEXT_PROPAGATION = ClassUtils.isPresent("io.micrometer.context.ContextSnapshot",
            ScopeContextListener.class.getClassLoader());

    @Override
    public void beforeScope(CompensationScope scope) {
        String previous = MDC.get(MDC_KEY);
        if (previous != null) {
            scope.setAttribute(PREVIOUS_MDC, previous);
        }
        MDC.put(MDC_KEY, scope.id());
    }

    @Override
    public void afterScope(CompensationScope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
        if (CONTEXT_PROPAGATION && outcome == null && scope.joinedScope() == null) {
            scope.setAttribute(SNAPSHOT, ContextSnapshots.capture());
        }
        Object previous = scope.getAttribute(PREVIOUS_MDC);
        if (previous != null) {
            scope.setAttribute(PREVIOUS_MDC, null);
        }
        restore(previous instanceof String value && !value.isEmpty() ? value : null);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    static void restore(@Nullable String previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        }
        else {
            MDC.put(MDC_KEY, previous);
        }
    }
}
