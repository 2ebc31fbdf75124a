package io.github.compensation.benchmarks;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Cases 3 and 4: one {@code @Transactional} JDBC update on H2 in memory, alone, with our scope and one dispatch, and
 * with Spring's {@code publishEvent} and a {@code @TransactionalEventListener} for one event instead.
 *
 * <p>Each call does the same work: it updates the one row of a one-row table. The warm-up is long because the JIT has
 * Spring's transaction, JDBC and H2 code to compile: with 3 warm-up seconds the first measured iterations of each
 * case were still several times slower than the later ones, and that, not the code measured, made the error bars.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 15, time = 1)
@Measurement(iterations = 5, time = 1)
public class TransactionBenchmark {

    private ConfigurableApplicationContext context;
    private Counter counter;

    /** Starts a Spring Boot context with H2, JDBC, transactions and the starter. */
    @Setup
    public void setUp() {
        context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1",
                        EmbeddedDatabase.WITHOUT_MODULITH,
                        "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run();
        counter = context.getBean(Counter.class);
        counter.createTable();
    }

    /** Closes the context. */
    @TearDown
    public void tearDown() {
        context.close();
    }

    /** @return rows updated, in a transaction */
    @Benchmark
    public int transactionalAlone() {
        return counter.bump();
    }

    /** @return rows updated, in a transaction, in a scope that dispatches one command after commit */
    @Benchmark
    public int transactionalWithScopeAndDispatch() {
        return counter.bumpAndDispatch();
    }

    /** @return rows updated, in a transaction that publishes one event to a transactional listener */
    @Benchmark
    public int transactionalWithEventListener() {
        return counter.bumpAndPublish();
    }

    /** The application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Counter.class, BumpListener.class})
    public static class App {
    }

    /** The event published after each bump. */
    public record Bumped(long id) {
    }

    /** Counts events received after commit. */
    @Component
    public static class BumpListener {

        final AtomicLong received = new AtomicLong();

        /** @param event the committed bump */
        @TransactionalEventListener
        public void on(Bumped event) {
            received.incrementAndGet();
        }
    }

    /** The transactional service. */
    @Component
    public static class Counter {

        private final JdbcTemplate jdbc;
        private final DispatchCommands dispatch;
        private final ApplicationEventPublisher events;
        private final AtomicLong dispatched = new AtomicLong();

        Counter(JdbcTemplate jdbc, DispatchCommands dispatch, ApplicationEventPublisher events) {
            this.jdbc = jdbc;
            this.dispatch = dispatch;
            this.events = events;
        }

        void createTable() {
            jdbc.execute("create table if not exists counter(id int primary key, n bigint)");
            jdbc.execute("merge into counter key(id) values (1, 0)");
        }

        /** @return rows updated */
        @Transactional
        public int bump() {
            return jdbc.update("update counter set n = n + 1 where id = 1");
        }

        /** @return rows updated */
        @DispatchAfterCommit
        @Transactional
        public int bumpAndDispatch() {
            int rows = jdbc.update("update counter set n = n + 1 where id = 1");
            dispatch.append("announce bump", dispatched::incrementAndGet);
            return rows;
        }

        /** @return rows updated */
        @Transactional
        public int bumpAndPublish() {
            int rows = jdbc.update("update counter set n = n + 1 where id = 1");
            events.publishEvent(new Bumped(1));
            return rows;
        }
    }
}
