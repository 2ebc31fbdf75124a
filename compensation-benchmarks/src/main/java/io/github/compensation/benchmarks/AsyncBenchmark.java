package io.github.compensation.benchmarks;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.reactor.ReactiveDispatchCommands;
import io.github.compensation.reactor.ReactiveRollbackCommands;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.Compensations;
import io.github.compensation.support.LoggingScopeListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

/**
 * Cases 9 and 10: a scope that follows a {@code CompletableFuture} (A1) or a {@code Mono} (A2), with one rollback and
 * one dispatch command, next to the same call through a proxy without our advice. The future is already complete
 * when the method returns, so case 9 measures the scope's own bookkeeping; the {@code Mono} scope settles on Reactor's
 * bounded-elastic scheduler (where commands may block), so case 10 includes that thread hop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AsyncBenchmark {

    private Target withoutAdvice;
    private Target advised;

    /** Builds the proxies. */
    @Setup
    public void setUp() {
        withoutAdvice = Proxies.noOpInterceptor(new Target());
        advised = Proxies.compensation(new Target(), List.<ScopeListener>of(new LoggingScopeListener()));
    }

    /** @return the counter, from a completed future, through a proxy without our advice */
    @Benchmark
    public long futureWithoutAdvice() {
        return withoutAdvice.future().join();
    }

    /** @return the counter, from a completed future whose scope registered an undo and an announcement */
    @Benchmark
    public long futureInScope() {
        return advised.future().join();
    }

    /** @return the counter, from a {@code Mono}, through a proxy without our advice */
    @Benchmark
    public long monoWithoutAdvice() {
        return withoutAdvice.mono().block(Duration.ofSeconds(10));
    }

    /** @return the counter, from a {@code Mono} whose subscription's scope registered an undo and an announcement */
    @Benchmark
    public long monoInScope() {
        return advised.mono().block(Duration.ofSeconds(10));
    }

    /** The advised bean. */
    public static class Target {

        private final RollbackCommands rollback = Compensations.rollbackCommands();
        private final DispatchCommands dispatch = Compensations.dispatchCommands();
        private final ReactiveRollbackCommands reactiveRollback = ReactiveRollbackCommands.instance();
        private final ReactiveDispatchCommands reactiveDispatch = ReactiveDispatchCommands.instance();
        private long counter;
        private long announced;

        /** @return a completed future of the incremented counter, after registering an undo and an announcement */
        @RollbackOnceFailed
        @DispatchAfterCommit
        public CompletableFuture<Long> future() {
            long value = ++counter;
            if (Compensations.currentScope() != null) {
                rollback.append("undo increment", () -> counter--);
                dispatch.append("announce increment", () -> announced = value);
            }
            return CompletableFuture.completedFuture(value);
        }

        /** @return the incremented counter, once an undo and an announcement were registered when scoped */
        @RollbackOnceFailed
        @DispatchAfterCommit
        public Mono<Long> mono() {
            return Mono.deferContextual(context -> {
                long value = ++counter;
                Mono<Long> result = Mono.just(value);
                return context.isEmpty() ? result
                        : reactiveRollback.appendBlocking("undo increment", () -> counter--)
                                .then(reactiveDispatch.appendBlocking("announce increment", () -> announced = value))
                                .then(result);
            });
        }
    }
}
