package io.github.compensation.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.Outcome;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.ScopeReport;
import io.github.compensation.reactor.autoconfigure.CompensationReactorAutoConfiguration;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A2 through the advice, with R2DBC and Spring's reactive transactions, on H2 and on PostgreSQL: an annotated method
 * returning a {@code Mono} writes a row in the caller's reactive transaction and registers an undo step and a dispatch.
 * The dispatch counts the committed rows through a connection of its own, so it proves that it ran after the commit.
 */
class ReactiveTransactionTest {

    /** The annotated service. A proxy: all state is read through methods. */
    public static class Bookings {

        private final DatabaseClient database;
        private final ConnectionFactory connections;
        private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        public Bookings(ConnectionFactory connections) {
            this.connections = connections;
            this.database = DatabaseClient.create(connections);
        }

        public List<String> calls() {
            return calls;
        }

        public DatabaseClient database() {
            return database;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        public Mono<Integer> book(int id, Mono<Void> then) {
            ReactiveRollbackCommands rollback = ReactiveRollbackCommands.instance();
            ReactiveDispatchCommands dispatch = ReactiveDispatchCommands.instance();
            return database.sql("insert into booking (id, code) values (:id, :code)").bind("id", id)
                    .bind("code", "code-" + id).fetch().rowsUpdated()
                    .then(rollback.append("cancel " + id, () -> Mono.fromRunnable(() -> calls.add("cancel " + id))))
                    .then(dispatch.append("announce " + id, () -> committedBookings(id)
                            .doOnNext(count -> calls.add("announce " + id + " seeing " + count + " committed"))))
                    .then(then)
                    .thenReturn(id);
        }

        /** Counts through a connection outside any transaction: only committed rows. */
        public Mono<Long> committedBookings(int id) {
            return Mono.usingWhen(Mono.from(connections.create()),
                    connection -> Mono.from(connection.createStatement("select count(*) from booking where id = "
                            + id).execute()).flatMap(result -> Mono.from(result.map(row -> row.get(0, Long.class)))),
                    connection -> Mono.from(connection.close()));
        }
    }

    abstract static class Scenarios {

        abstract Supplier<ConnectionFactory> database();

        private final List<ScopeReport> reports = Collections.synchronizedList(new ArrayList<>());

        private ApplicationContextRunner runner() {
            return new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class,
                            CompensationReactorAutoConfiguration.class))
                    .withBean(ConnectionFactory.class, database())
                    .withBean(Bookings.class)
                    .withBean(ScopeListener.class, () -> reports::add);
        }

        private void run(ScenarioBody body) {
            runner().run(context -> {
                assertThat(context).hasNotFailed();
                Bookings bookings = context.getBean(Bookings.class);
                bookings.database().sql("create table booking (id int primary key, code varchar(64) not null)")
                        .then().block(Duration.ofSeconds(30));
                TransactionalOperator transactions = TransactionalOperator.create(
                        new R2dbcTransactionManager(context.getBean(ConnectionFactory.class)));
                body.run(context, bookings, transactions);
            });
        }

        @FunctionalInterface
        interface ScenarioBody {
            void run(AssertableApplicationContext context, Bookings bookings, TransactionalOperator transactions);
        }

        @Test
        void a2_t2_completionInsideAReactiveTransactionDispatchesAfterItCommitted() {
            run((context, bookings, transactions) -> {
                StepVerifier.create(transactions.transactional(bookings.book(1, Mono.empty())))
                        .expectNext(1).verifyComplete();

                assertThat(bookings.calls()).containsExactly("announce 1 seeing 1 committed");
                assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.COMMITTED);
            });
        }

        @Test
        void a2_t2_completionInsideAReactiveTransactionThatRollsBackCompensates() {
            IllegalStateException afterwards = new IllegalStateException("the caller failed afterwards");
            run((context, bookings, transactions) -> {
                StepVerifier.create(transactions.transactional(bookings.book(2, Mono.empty()).then(Mono.error(afterwards))))
                        .expectErrorMatches(error -> error == afterwards).verify(Duration.ofSeconds(30));

                assertThat(bookings.calls()).containsExactly("cancel 2");
                assertThat(bookings.committedBookings(2).block(Duration.ofSeconds(30))).isZero();
                assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.ROLLED_BACK);
            });
        }

        @Test
        void a2_errorSignalCompensatesBeforeTheSameErrorReachesTheSubscriber() {
            IllegalStateException refused = new IllegalStateException("hotel refused");
            run((context, bookings, transactions) -> {
                StepVerifier.create(transactions.transactional(bookings.book(3, Mono.error(refused))))
                        .consumeErrorWith(error -> {
                            assertThat(error).isSameAs(refused);
                            assertThat(bookings.calls()).containsExactly("cancel 3");
                        })
                        .verify(Duration.ofSeconds(30));

                assertThat(bookings.committedBookings(3).block(Duration.ofSeconds(30))).isZero();
            });
        }

        @Test
        void a2_completionWithoutATransactionDispatchesAtOnce() {
            run((context, bookings, transactions) -> {
                StepVerifier.create(bookings.book(4, Mono.empty())).expectNext(4).verifyComplete();

                assertThat(bookings.calls()).containsExactly("announce 4 seeing 1 committed");
            });
        }

        @Test
        void a2_cancellationCompensates() {
            run((context, bookings, transactions) -> {
                Sinks.One<Void> never = Sinks.one();
                Disposable subscription = transactions.transactional(bookings.book(5, never.asMono())).subscribe();
                await().atMost(Duration.ofSeconds(30)).until(() -> never.currentSubscriberCount() > 0);

                subscription.dispose();

                await().atMost(Duration.ofSeconds(30)).until(() -> reports.size() == 1);
                assertThat(reports.get(0).outcome()).isEqualTo(Outcome.CANCELLED);
                assertThat(reports.get(0).cause()).isInstanceOf(CancellationException.class);
                assertThat(bookings.calls()).containsExactly("cancel 5");
            });
        }
    }

    @Nested
    class OnH2 extends Scenarios {

        @Override
        Supplier<ConnectionFactory> database() {
            return ReactiveDatabases::h2;
        }
    }

    @Nested
    class OnPostgreSql extends Scenarios {

        @Override
        Supplier<ConnectionFactory> database() {
            return ReactiveDatabases::postgres;
        }
    }
}
