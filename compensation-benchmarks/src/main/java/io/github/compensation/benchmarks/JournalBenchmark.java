package io.github.compensation.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
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
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
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
 * Two controls run in the context without the journal and add, by hand, what the journal adds in round trips:
 * {@link #transactionWithJournalSqlAlone()} the journal's very statements through plain JDBC, and
 * {@link #transactionWithTwoTrivialRoundTrips()} two trivial round trips. Against the transaction without the journal
 * they show what the journal's SQL, and any design with two more round trips, cost on the machine at hand.
 * Throughput, one thread (case 6) and eight threads (case 6b, where the journal's write-aheads of concurrent threads
 * share commits). {@code BenchmarkMain} reports with / without.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// 15 s of warm-up: with 4 s, the JIT was still compiling the journaled path (Jackson, the recorder, the driver) during
// the first measured iterations, a fifth of the process's CPU on this 2-core machine
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 3)
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
        new JdbcTemplate(database.pool()).execute("create table if not exists round_trip (id varchar(36) primary key)");
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

    /**
     * @return the new order's id; control for case 6: journal off, plus the very statements the journal writes (the
     *         write-ahead on a connection of its own, the marker and outbox row in the transaction), sent through
     *         plain JDBC: what the journal's SQL costs on this machine without any of the journal's Java code
     */
    @Benchmark
    public long transactionWithJournalSqlAlone() {
        return plain.placeWithJournalSql();
    }

    /**
     * @return the new order's id; control for case 6: journal off, plus two trivial round trips where the journal
     *         makes its two (an insert of one small row on a connection of its own, a {@code select 1} in the
     *         transaction): what any design with two more round trips costs on this machine
     */
    @Benchmark
    public long transactionWithTwoTrivialRoundTrips() {
        return plain.placeWithTwoRoundTrips();
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

        /** The owner of the control's rows, leased for a day: an instance that never runs, so no worker takes them. */
        static final String OWNER = "control-rows";

        final JdbcTemplate jdbc;
        final DataSource dataSource;
        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final Remote remote;
        final AtomicLong placed = new AtomicLong();

        Orders(JdbcTemplate jdbc, DataSource dataSource, RollbackCommands rollback, DispatchCommands dispatch,
                Remote remote) {
            this.jdbc = jdbc;
            this.dataSource = dataSource;
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

        /** @return the new order's id; {@link #place()} with the journal's statements sent by hand (a control) */
        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public long placeWithJournalSql() {
            long orderId = place();
            Timestamp now = Timestamp.from(Instant.now());
            Timestamp lease = Timestamp.from(Instant.now().plusSeconds(86_400));
            String unitId = UUID.randomUUID().toString();
            writeOnOwnConnection(JournalSql.WRITE_AHEAD, unitId, "JournalBenchmark.Orders.place", OWNER, lease, now,
                    now, UUID.randomUUID().toString(), unitId, "COMPENSATION", 1, "Remote.cancel(" + orderId + ")",
                    Remote.class.getName(), "journalBenchmark.Remote", "cancel", "[\"long\"]", "[" + orderId + "]",
                    "PENDING", now, now, now);
            jdbc.update(JournalSql.AT_COMMIT, unitId, "C", now, UUID.randomUUID().toString(),
                    "Remote.announce(" + orderId + ")", Remote.class.getName(), "journalBenchmark.Remote", "announce",
                    "[\"long\"]", "[" + orderId + "]", OWNER, lease, new SqlParameterValue(Types.VARCHAR, null),
                    new SqlParameterValue(Types.BIGINT, null), now, now, now);
            return orderId;
        }

        /** @return the new order's id; {@link #place()} with two trivial round trips more (a control) */
        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public long placeWithTwoRoundTrips() {
            long orderId = place();
            writeOnOwnConnection("insert into round_trip (id) values (?)", UUID.randomUUID().toString());
            jdbc.queryForObject("select 1", Integer.class);
            return orderId;
        }

        private void writeOnOwnConnection(String sql, Object... args) {
            try (Connection connection = dataSource.getConnection()) {
                new JdbcTemplate(new SingleConnectionDataSource(connection, true)).update(sql, args);
            }
            catch (SQLException failure) {
                throw new IllegalStateException(failure);
            }
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

    /**
     * The statements the journal writes for one business transaction with one compensation and one dispatch, as
     * {@code JournalStore} writes them with the default table prefix (kept in step by hand: a control, not a copy that
     * runs in production).
     */
    static final class JournalSql {

        /** The unit and its compensation, on a connection of its own, in auto-commit: one round trip. */
        static final String WRITE_AHEAD = "insert into compensation_unit (id, name, state, owner, lease_until,"
                + " created_at, updated_at) values (?, ?, 'OPEN', ?, ?, ?, ?);\n"
                + "insert into compensation_command (id, unit_id, kind, seq, description, target_type, bean_name,"
                + " method_name, param_types, payload, status, attempts, next_attempt_at, created_at, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";

        /** The marker and the outbox row, in the business transaction: one round trip. */
        static final String AT_COMMIT = "insert into compensation_marker (unit_id, verdict, created_at)"
                + " values (?, ?, ?);\n"
                + "insert into compensation_command (id, kind, seq, description, target_type, bean_name, method_name,"
                + " param_types, payload, status, attempts, owner, lease_until, ordering_key, ordering_seq,"
                + " next_attempt_at, created_at, updated_at) values (?, 'DISPATCH', 0, ?, ?, ?, ?, ?, ?, 'RUNNING', 1,"
                + " ?, ?, ?, ?, ?, ?, ?)";

        private JournalSql() {
        }
    }
}
