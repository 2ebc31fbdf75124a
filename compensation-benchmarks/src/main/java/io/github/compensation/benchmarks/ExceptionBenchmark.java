package io.github.compensation.benchmarks;

import io.github.compensation.support.Compensations;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.LoggingScopeListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Case 5: the exception path. A direct throw against a throw through a scope that runs one compensation. The logging
 * listener is in place but its category is switched off, so that console output does not dominate the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExceptionBenchmark {

    private static final Logger QUIET = Logger.getLogger("io.github.compensation");

    private Target direct;
    private Target compensation;

    /** Builds the proxy and silences the report log. */
    @Setup
    public void setUp() {
        QUIET.setLevel(Level.OFF);
        direct = new Target();
        compensation = Proxies.compensation(new Target(), List.<ScopeListener>of(new LoggingScopeListener()));
    }

    /** @return the caught exception, thrown by a plain method */
    @Benchmark
    public Throwable directThrow() {
        try {
            direct.fail();
            return null;
        }
        catch (IllegalStateException expected) {
            return expected;
        }
    }

    /** @return the caught exception, thrown inside a scope that then runs one compensation */
    @Benchmark
    public Throwable throwThroughScope() {
        try {
            compensation.scopedFail();
            return null;
        }
        catch (IllegalStateException expected) {
            return expected;
        }
    }

    /** The advised bean. */
    public static class Target {

        private final RollbackCommands rollback = Compensations.rollbackCommands();
        private long counter;

        /** Always throws. */
        public void fail() {
            counter++;
            throw new IllegalStateException("declined");
        }

        /** Registers one compensation, then throws. */
        @RollbackOnceFailed
        public void scopedFail() {
            counter++;
            rollback.append("undo increment", () -> counter--);
            throw new IllegalStateException("declined");
        }
    }
}
