package io.github.compensation.benchmarks;

import io.github.compensation.journal.CommandHandlerRegistry;
import io.github.compensation.journal.CommandResolver;
import io.github.compensation.journal.Dialect;
import io.github.compensation.journal.Journal;
import io.github.compensation.journal.JournalSchema;
import io.github.compensation.journal.JournalSettings;
import io.github.compensation.journal.JournalStore;
import io.github.compensation.journal.JsonCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Case 7: delivering {@value #ENTRIES} pending entries from a table in embedded PostgreSQL, timed from "all pending"
 * to "all delivered and recorded as done"; the score is time per entry (its inverse, entries per second, is what
 * {@code BenchmarkMain} compares). Before each invocation (outside the measurement) the table is emptied and refilled
 * with {@value #ENTRIES} fresh pending rows by one {@code insert ... select from generate_series}; after it, every row
 * is checked done and the target counted {@value #ENTRIES} calls. The target does nothing but count, so both sides
 * measure their own machinery: reading rows, reading the JSON back, invoking a bean method, recording completion.
 *
 * <ul>
 * <li>{@link #journalOutbox(Workers)}: the journal's outbox. {@code workers} journal instances (1, 2 or 4, each with
 * its own instance id, as separate application instances would be), each on its own thread, call
 * {@link Journal#dispatchDue()} until it finds nothing due, which is what {@code JournalWorker} does at every poll
 * (the poll interval itself is left out). Per batch of 100 (the default {@code batch-size}): one transaction claims
 * the rows ({@code select ... for update skip locked}, then a batch {@code update} to {@code RUNNING} with a lease),
 * each row's recorded call is resolved ({@code Events.publish(String)}, its JSON argument read back) and invoked, and
 * one transaction marks the batch {@code DONE}. Rows: what {@code dispatch.append(Events.class).publish("e" + i)}
 * writes.</li>
 * <li>{@link #modulithResubmit(Modulith)}: Spring Modulith 2.1's JDBC event publication registry
 * ({@code spring-modulith-starter-jdbc}, schema v2, default completion mode {@code UPDATE}), in a Spring Boot context
 * on the same kind of server. One thread calls {@link IncompleteEventPublications#resubmitIncompletePublications}
 * with an accept-all filter, Modulith's way of delivering publications that are stored and not completed (on
 * restart, or on a schedule the application sets up): it loads the incomplete publications, marks each resubmitted,
 * deserializes its event and invokes the {@code @TransactionalEventListener}; Modulith's completion advisor then
 * marks it completed. The listener is synchronous, so the delivery happens on the calling thread, like one journal
 * worker. Rows: copies of the row that publishing {@code new Announced("e0")} in a transaction wrote (same listener
 * id and event type; serialized event {@code {"id":"e<i>"}}), with status {@code PUBLISHED}.</li>
 * </ul>
 * Not measured on either side: writing the rows in the business transaction (case 6 covers ours), polling delays.
 * Each trial starts its own embedded PostgreSQL (same binaries and settings) in {@code @Setup(Level.Trial)}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4)
@Measurement(iterations = 5)
public class OutboxBenchmark {

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Pending entries delivered per invocation. */
    public static final int ENTRIES = 5000;

    /** The journal's outbox with 1, 2 or 4 worker instances. */
    @State(Scope.Benchmark)
    public static class Workers {

        /** Journal instances delivering concurrently, one thread each. */
        @Param({"1", "2", "4"})
        public int workers;

        private static final String PREFIX = "bench_";

        private EmbeddedDatabase database;
        private JdbcTemplate jdbc;
        private final Events events = new Events();
        private final List<Journal> journals = new ArrayList<>();
        private ExecutorService threads;
        private final AtomicLong workerCpuNanos = new AtomicLong();
        private final AtomicLong delivered = new AtomicLong();
        private long wallNanos;

        /** Starts embedded PostgreSQL, creates the journal's tables and the worker instances. */
        @Setup(Level.Trial)
        public void setUp() {
            database = EmbeddedDatabase.start(workers + 2);
            jdbc = new JdbcTemplate(database.pool());
            JournalSchema.initialize(database.pool(), Dialect.POSTGRESQL, PREFIX);
            DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
            beans.registerSingleton("events", events);
            CommandResolver resolver = new CommandResolver(beans, new CommandHandlerRegistry(), new JsonCodec());
            for (int i = 1; i <= workers; i++) {
                JournalStore store = new JournalStore(database.pool(), Dialect.POSTGRESQL, PREFIX);
                journals.add(new Journal(store, resolver,
                        JournalSettings.defaults("worker-" + i).withTablePrefix(PREFIX), Clock.systemUTC()));
            }
            threads = Executors.newFixedThreadPool(workers);
        }

        /** Refills the outbox with {@value #ENTRIES} pending entries (not measured). */
        @Setup(Level.Iteration)
        public void fill() {
            jdbc.update("delete from " + PREFIX + "command");
            jdbc.update("insert into " + PREFIX + "command (id, kind, seq, description, target_type, method_name,"
                    + " param_types, payload, status, attempts, next_attempt_at, created_at, updated_at)"
                    + " select gen_random_uuid()::text, 'DISPATCH', 0, 'publish e' || g, ?, 'publish',"
                    + " 'java.lang.String', '[\"e' || g || '\"]', 'PENDING', 0, localtimestamp, localtimestamp,"
                    + " localtimestamp from generate_series(1, ?) g", Events.class.getName(), ENTRIES);
            jdbc.execute("vacuum analyze " + PREFIX + "command");
            events.published.set(0);
        }

        /** Checks that every entry was delivered once and is recorded as done. */
        @TearDown(Level.Iteration)
        public void check() {
            Integer done = jdbc.queryForObject("select count(*) from " + PREFIX + "command where status = 'DONE'",
                    Integer.class);
            if (done == null || done != ENTRIES || events.published.get() != ENTRIES) {
                throw new IllegalStateException("done " + done + ", delivered " + events.published + " of "
                        + ENTRIES);
            }
        }

        int deliverAll() throws InterruptedException, ExecutionException {
            List<Callable<Integer>> drains = new ArrayList<>(workers);
            for (Journal journal : journals) {
                drains.add(() -> {
                    long cpu = CPU.getCurrentThreadCpuTime();
                    int claimed = 0;
                    for (int batch = journal.dispatchDue(); batch > 0; batch = journal.dispatchDue()) {
                        claimed += batch;
                    }
                    workerCpuNanos.addAndGet(CPU.getCurrentThreadCpuTime() - cpu);
                    return claimed;
                });
            }
            long start = System.nanoTime();
            int claimed = 0;
            for (Future<Integer> drain : threads.invokeAll(drains)) {
                claimed += drain.get();
            }
            wallNanos += System.nanoTime() - start;
            delivered.addAndGet(claimed);
            return claimed;
        }

        /** Stops the threads and the server. */
        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%n[case 7, %d worker(s)] per entry: %.1f us wall, %.1f us CPU in the worker threads"
                    + " (the rest of the 2 cores: PostgreSQL, other processes)%n", workers,
                    wallNanos / 1e3 / delivered.get(), workerCpuNanos.get() / 1e3 / delivered.get());
            threads.shutdownNow();
            database.close();
        }
    }

    /** The target of the journal's entries. Public and not final: a recorded call's target. */
    public static class Events {

        final AtomicLong published = new AtomicLong();

        /** @param id the event */
        public void publish(String id) {
            published.incrementAndGet();
        }
    }

    /** Spring Modulith's JDBC event publication registry in a Spring Boot context. */
    @State(Scope.Benchmark)
    public static class Modulith {

        private EmbeddedDatabase database;
        private ConfigurableApplicationContext context;
        private JdbcTemplate jdbc;
        private AnnouncementListener listener;
        private IncompleteEventPublications incomplete;
        private Map<String, Object> template;

        /** Starts embedded PostgreSQL and the context, and captures one publication row as it is stored. */
        @Setup(Level.Trial)
        public void setUp() {
            database = EmbeddedDatabase.start(2);
            context = new SpringApplicationBuilder(ModulithApp.class)
                    .web(WebApplicationType.NONE)
                    .properties("spring.datasource.url=" + database.url(), "spring.datasource.username=postgres",
                            "spring.datasource.password=postgres", "spring.datasource.hikari.maximum-pool-size=4",
                            "spring.modulith.events.jdbc.schema-initialization.enabled=true",
                            "spring.main.banner-mode=off", "logging.level.root=WARN")
                    .run();
            jdbc = context.getBean(JdbcTemplate.class);
            listener = context.getBean(AnnouncementListener.class);
            incomplete = context.getBean(IncompleteEventPublications.class);
            ApplicationEventPublisher publisher = context;
            new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).executeWithoutResult(
                    status -> publisher.publishEvent(new Announced("e0")));
            template = jdbc.queryForMap("select listener_id, event_type, serialized_event, status"
                    + " from event_publication");
            if (listener.received() != 1 || !"COMPLETED".equals(template.get("status"))
                    || !template.get("serialized_event").toString().contains("\"e0\"")) {
                throw new IllegalStateException("Modulith did not store and complete the publication: " + template);
            }
        }

        /** Refills the registry with {@value #ENTRIES} incomplete publications (not measured). */
        @Setup(Level.Iteration)
        public void fill() {
            jdbc.update("delete from event_publication");
            jdbc.update("insert into event_publication (id, listener_id, event_type, serialized_event,"
                    + " publication_date, status, completion_attempts) select gen_random_uuid(), ?, ?,"
                    + " replace(?, '\"e0\"', '\"e' || g || '\"'), now(), 'PUBLISHED', 0"
                    + " from generate_series(1, ?) g", template.get("listener_id"), template.get("event_type"),
                    template.get("serialized_event"), ENTRIES);
            jdbc.execute("vacuum analyze event_publication");
            listener.reset();
        }

        /** Checks that every publication was delivered once and is recorded as completed. */
        @TearDown(Level.Iteration)
        public void check() {
            Integer completed = jdbc.queryForObject("select count(*) from event_publication"
                    + " where completion_date is not null and status = 'COMPLETED'", Integer.class);
            if (completed == null || completed != ENTRIES || listener.received() != ENTRIES) {
                throw new IllegalStateException("completed " + completed + ", delivered " + listener.received()
                        + " of " + ENTRIES);
            }
        }

        /** Closes the context and stops the server. */
        @TearDown(Level.Trial)
        public void tearDown() {
            context.close();
            database.close();
        }
    }

    /** The Modulith application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(AnnouncementListener.class)
    public static class ModulithApp {
    }

    /**
     * The event.
     *
     * @param id its id
     */
    public record Announced(String id) {
    }

    /** The listener: counts, like {@link Events}. */
    @Component
    public static class AnnouncementListener {

        final AtomicLong received = new AtomicLong();

        /** @param event the event */
        @TransactionalEventListener
        public void on(Announced event) {
            received.incrementAndGet();
        }

        /** @return events received (a method: the bean is a proxy, its fields are not the listener's) */
        public long received() {
            return received.get();
        }

        /** Starts counting again. */
        public void reset() {
            received.set(0);
        }
    }

    /**
     * @param workers the journal instances
     * @return entries claimed
     * @throws Exception when a worker fails
     */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public int journalOutbox(Workers workers) throws Exception {
        return workers.deliverAll();
    }

    /**
     * @param modulith the registry
     * @return publications delivered
     */
    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public long modulithResubmit(Modulith modulith) {
        modulith.incomplete.resubmitIncompletePublications(publication -> true);
        return modulith.listener.received();
    }
}
