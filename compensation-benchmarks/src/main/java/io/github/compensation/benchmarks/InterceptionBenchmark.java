package io.github.compensation.benchmarks;

import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.LoggingScopeListener;
import io.github.compensation.spring.observability.ScopeContextCommandRunner;
import io.github.compensation.spring.observability.ScopeContextListener;
import io.github.compensation.spring.retry.RetryTemplateCommandRunner;
import io.github.compensation.store.InMemoryScopeStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cases 1 and 2: the price of the proxy, and of a scope with one rollback and one dispatch command, no transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InterceptionBenchmark {

    private Target direct;
    private Target noOpInterceptor;
    private Target noOpAspect;
    private Target compensation;
    private Target compensationWithOperations;
    private Target minimalScope;
    private Target minimalScopeUntimed;

    /** Builds the proxies. */
    @Setup
    public void setUp() {
        direct = new Target();
        noOpInterceptor = Proxies.noOpInterceptor(new Target());
        noOpAspect = Proxies.noOpAspect(new Target());
        compensation = Proxies.compensation(new Target(), List.<ScopeListener>of(new LoggingScopeListener()));
        compensationWithOperations = Proxies.compensation(new Target(), List.<ScopeListener>of(
                new LoggingScopeListener(), new InMemoryScopeStore()), List.of(new ScopeContextListener()),
                new ScopeContextCommandRunner(new RetryTemplateCommandRunner()));
        minimalScope = Proxies.minimalScope(new Target(), true);
        minimalScopeUntimed = Proxies.minimalScope(new Target(), false);
    }

    /** @return the counter, called directly */
    @Benchmark
    public long directCall() {
        return direct.plain();
    }

    /** @return the counter, through a proxy whose only advice proceeds */
    @Benchmark
    public long noOpInterceptor() {
        return noOpInterceptor.plain();
    }

    /** @return the counter, through a no-op {@code @Aspect @Around} */
    @Benchmark
    public long noOpAspect() {
        return noOpAspect.plain();
    }

    /** @return the counter, through a scope with one rollback and one dispatch command that commits */
    @Benchmark
    public long scopeWithRollbackAndDispatch() {
        return compensation.scoped();
    }

    /**
     * @return the counter, through the same scope with what an application with Actuator gets besides: the in-memory
     *         history of recent scopes, the MDC entry and captured context around the scope and its commands
     */
    @Benchmark
    public long scopeWithHistoryAndMdc() {
        return compensationWithOperations.scoped();
    }

    /**
     * A measuring control, not a product: the least code doing case 2's work ({@link MinimalScopeAdvice}), with the
     * clock read at the scope's start that clause H1 needs.
     *
     * @return the counter, through the control's scope with one rollback and one dispatch command that commits
     */
    @Benchmark
    public long minimalScopeControl() {
        return minimalScope.minimal();
    }

    /**
     * The same control without the clock read.
     *
     * @return the counter, through the control's scope with one rollback and one dispatch command that commits
     */
    @Benchmark
    public long minimalScopeControlUntimed() {
        return minimalScopeUntimed.minimal();
    }

    /** The advised bean. */
    public static class Target {

        private final RollbackCommands rollback = Compensations.rollbackCommands();
        private final DispatchCommands dispatch = Compensations.dispatchCommands();
        private long counter;
        private long announced;

        /** @return the incremented counter */
        public long plain() {
            return ++counter;
        }

        /** @return the incremented counter, after registering an undo and an announcement */
        @RollbackOnceFailed
        @DispatchAfterCommit
        public long scoped() {
            long value = ++counter;
            rollback.append("undo increment", () -> counter--);
            dispatch.append("announce increment", () -> announced = value);
            return value;
        }

        /**
         * What {@link #scoped()} does, through the measuring control's API ({@link MinimalScopeAdvice}).
         *
         * @return the incremented counter, after registering an undo and an announcement
         */
        public long minimal() {
            long value = ++counter;
            MinimalScopeAdvice.MinimalScope.rollback(() -> counter--);
            MinimalScopeAdvice.MinimalScope.dispatch(() -> announced = value);
            return value;
        }
    }
}
