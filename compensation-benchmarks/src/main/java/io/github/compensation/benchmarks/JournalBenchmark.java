package io.github.compensation.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.journal.DurableDispatchCommands;
import io.github.compensation.journal.DurableRollbackCommands;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Case 6: business transactions per second on embedded PostgreSQL, without and with the journal.
 *
 * <p>Each operation is one call of a {@code @RollbackOnceFailed @DispatchAfterCommit @Transactional} method that
 * inserts one row, registers one compensation and one dispatch, and commits; the dispatch then runs after the commit.
 * Two Spring Boot contexts share one server and one schema (each its own pool):
 * <ul>
 * <li>{@link #transactionWithoutJournal()}: the journal is off; compensation and dispatch are lambdas held in
 * memory. Database work: the business transaction (one insert).</li>
 * <li>{@link #transactionWithJournal()}: {@code compensation.journal.enabled=true}; the compensation is a recorded
 * bean invocation ({@code rollback.append(Remote.class).cancel(id)}) and so is the dispatch, so the journal really
 * writes: the unit and the compensation row on a connection of its own before {@code append} returns (write-ahead),
 * then, right before the commit, the marker and the outbox row (claimed by this instance as it is written) inside the
 * business transaction, in one write. After commit and delivery, the "done" of the outbox row and the settling of the
 * unit (compensation discarded) are left to the background worker, which writes them for all scopes at its next poll
 * (every 5 s by default).</li>
 * </ul>
 * Throughput, one thread (case 6) and eight threads (case 6b, where the journal's write-aheads of concurrent threads
 * share commits). {@code BenchmarkMain} reports with / without.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class JournalBenchmark {

    private RemoteStub stub;
    private EmbeddedDatabase database;
    private ConfigurableApplicationContext without;
    private ConfigurableApplicationContext with;
    private Orders plain;
    private Orders journaled;
    private long commitsBefore;
    private long placedBefore;

    /** Starts embedded PostgreSQL, the remote stub and the two contexts. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stub = RemoteStub.start(Duration.ofMillis(2));
        Remote.endpoint = stub.uri();
        database = EmbeddedDatabase.start(2);
        new JdbcTemplate(database.pool()).execute("create table if not exists orders (id bigserial primary key,"
                + " item varchar(100) not null, quantity int not null)");
        without = context(false);
        with = context(true);
        plain = without.getBean(Orders.class);
        journaled = with.getBean(Orders.class);
        if (!journaled.durable() || plain.durable()) {
            throw new IllegalStateException("the journal is not on in the journaled context, or on in the other");
        }
        journaled.place();
        if (journaled.remote().announced() != 1) {
            throw new IllegalStateException("the durable dispatch did not run after commit");
        }
        commitsBefore = commits();
        placedBefore = plain.placed() + journaled.placed();
    }

    /** @return transactions committed in the database so far (PostgreSQL's statistics, updated with a delay) */
    private long commits() {
        Long commits = new JdbcTemplate(database.pool()).queryForObject("select xact_commit from pg_stat_database"
                + " where datname = current_database()", Long.class);
        return commits == null ? 0 : commits;
    }

    private ConfigurableApplicationContext context(boolean journal) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + database.url(), "spring.datasource.username=postgres",
                        "spring.datasource.password=postgres", "spring.datasource.hikari.maximum-pool-size=12",
                        "compensation.journal.enabled=" + journal, "compensation.journal.initialize-schema=true",
                        EmbeddedDatabase.WITHOUT_MODULITH, "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run();
    }

    /** Checks that every dispatch ran and nothing was compensated, closes the contexts and stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        // PostgreSQL publishes pg_stat_database counters asynchronously (about every 500 ms); this is a report line
        // after the measurement, not a condition anything waits on.
        Thread.sleep(1_000);
        long placed = plain.placed() + journaled.placed() - placedBefore;
        System.out.printf("%n[case 6] %d business transactions, %.1f database commits each (pg_stat_database)%n",
                placed, (commits() - commitsBefore) / (double) Math.max(1, placed));
        try {
            for (Orders orders : new Orders[] {plain, journaled}) {
                Remote remote = orders.remote();
                if (remote.cancelled() != 0 || remote.announced() != orders.placed()) {
                    throw new IllegalStateException("placed " + orders.placed() + ", announced "
                            + remote.announced() + ", cancelled " + remote.cancelled());
                }
            }
        }
        finally {
            with.close();
            without.close();
            database.close();
            stub.close();
        }
    }

    /** @return the new order's id; journal off, in-memory compensation and dispatch */
    @Benchmark
    public long transactionWithoutJournal() {
        return plain.place();
    }

    /** @return the new order's id; journal on, durable compensation and dispatch */
    @Benchmark
    public long transactionWithJournal() {
        return journaled.place();
    }

    /** @return the new booking's id; case 6c: a 2 ms remote call inside the transaction, journal off */
    @Benchmark
    public long bookingWithoutJournal() {
        return plain.book();
    }

    /** @return the new booking's id; case 6c: a 2 ms remote call inside the transaction, journal on */
    @Benchmark
    public long bookingWithJournal() {
        return journaled.book();
    }

    /** @return the new order's id; case 6b: eight threads, journal off */
    @Benchmark
    @Threads(8)
    public long transactionWithoutJournal8Threads() {
        return plain.place();
    }

    /** @return the new order's id; case 6b: eight threads, journal on, their write-aheads sharing commits */
    @Benchmark
    @Threads(8)
    public long transactionWithJournal8Threads() {
        return journaled.place();
    }

    /** The application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Orders.class, Remote.class})
    public static class App {
    }

    /** The remote side: what the compensation and the dispatch call. Public and not final: a recording target. */
    @Component
    public static class Remote {

        static volatile URI endpoint = URI.create("http://localhost:1/");
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        final AtomicLong cancelled = new AtomicLong();
        final AtomicLong announced = new AtomicLong();

        /**
         * Reserves something on the remote side: an HTTP call to the local stub, which answers after 2 ms.
         *
         * @return the reservation's id
         */
        public long reserve() {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.body().length();
            }
            catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        }

        /** @param orderId the order to cancel */
        public void cancel(long orderId) {
            cancelled.incrementAndGet();
        }

        /** @param orderId the order placed */
        public void announce(long orderId) {
            announced.incrementAndGet();
        }

        /** @return compensations run */
        public long cancelled() {
            return cancelled.get();
        }

        /** @return dispatches run */
        public long announced() {
            return announced.get();
        }
    }

    /** The business service. */
    @Component
    public static class Orders {

        final JdbcTemplate jdbc;
        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final Remote remote;
        final AtomicLong placed = new AtomicLong();

        Orders(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch, Remote remote) {
            this.jdbc = jdbc;
            this.rollback = rollback;
            this.dispatch = dispatch;
            this.remote = remote;
        }

        /** @return whether the durable commands are injected (the journal is on); the bean is a proxy: no fields */
        public boolean durable() {
            return rollback instanceof DurableRollbackCommands;
        }

        /** @return the remote side */
        public Remote remote() {
            return remote;
        }

        /** @return orders placed */
        public long placed() {
            return placed.get();
        }

        /**
         * Case 6c, a booking as a user has it: a remote reservation (2 ms over HTTP), then the order, its
         * compensation and its dispatch.
         *
         * @return the new order's id
         */
        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public long book() {
            remote.reserve();
            return place();
        }

        /** @return the new order's id */
        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public long place() {
            Long id = jdbc.queryForObject("insert into orders (item, quantity) values ('book', 1) returning id",
                    Long.class);
            long orderId = id == null ? 0 : id;
            if (rollback instanceof DurableRollbackCommands durable) {
                durable.append(Remote.class).cancel(orderId);
                ((DurableDispatchCommands) dispatch).append(Remote.class).announce(orderId);
            }
            else {
                rollback.append("cancel order", () -> remote.cancel(orderId));
                dispatch.append("announce order", () -> remote.announce(orderId));
            }
            placed.incrementAndGet();
            return orderId;
        }
    }
}
