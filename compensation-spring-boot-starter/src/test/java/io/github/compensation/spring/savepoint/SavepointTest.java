package io.github.compensation.spring.savepoint;

import static io.github.compensation.spring.testsupport.RecordingScopeListener.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.CommandStatus;
import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.Outcome;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.ScopeReport;
import io.github.compensation.spring.testsupport.Journal;
import io.github.compensation.spring.testsupport.RecordingScopeListener;
import io.github.compensation.spring.testsupport.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * S1: work done in a nested transaction ({@code Propagation.NESTED}, a savepoint) that rolls back to its savepoint
 * takes its compensations with it, with Spring Boot's JDBC transaction manager on PostgreSQL and H2.
 */
class SavepointTest {

    /** Rows in {@code booking}: id 1 is the trip, 10 and up are seats. */
    static class Seats {

        private final JdbcTemplate jdbc;
        private final RollbackCommands rollback;
        private final DispatchCommands dispatch;
        private final Journal journal;

        Seats(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
            this.jdbc = jdbc;
            this.rollback = rollback;
            this.dispatch = dispatch;
            this.journal = journal;
        }

        /** Reserves a seat in a savepoint of the caller's transaction, registering into the caller's scope. */
        @Transactional(propagation = Propagation.NESTED)
        public void reserve(int seat, boolean fail) {
            register(seat);
            if (fail) {
                throw new IllegalStateException("seat " + seat + " taken");
            }
        }

        /** Reserves a seat in a scope of its own inside a savepoint (nested scope, N1, and S1 together). */
        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional(propagation = Propagation.NESTED)
        public void reserveInOwnScope(int seat, boolean fail) {
            reserve(seat, fail);
        }

        /** Books a seat through a scoped method that returns, then fails: the joined commands go with the savepoint. */
        @Transactional(propagation = Propagation.NESTED)
        public void reserveThroughJoinedScopeThenFail(Seats self, int seat) {
            self.reserveInScope(seat);
            throw new IllegalStateException("after seat " + seat);
        }

        /** A scope without a transaction of its own: it joins the caller's scope when it returns (N1). */
        @RollbackOnceFailed
        @DispatchAfterCommit
        public void reserveInScope(int seat) {
            register(seat);
        }

        private void register(int seat) {
            jdbc.update("insert into booking (id, code) values (?, ?)", seat, "seat " + seat);
            rollback.append("release seat " + seat, () -> journal.add("release seat " + seat));
            dispatch.append("announce seat " + seat, () -> journal.add("announce seat " + seat));
        }
    }

    /** The outer service: one trip, its own transaction, and seats in savepoints. */
    static class Trips {

        private final JdbcTemplate jdbc;
        private final Seats seats;
        private final RollbackCommands rollback;
        private final DispatchCommands dispatch;
        private final Journal journal;

        Trips(JdbcTemplate jdbc, Seats seats, RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
            this.jdbc = jdbc;
            this.seats = seats;
            this.rollback = rollback;
            this.dispatch = dispatch;
            this.journal = journal;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        @Transactional
        public void book(List<Runnable> steps, boolean fail) {
            jdbc.update("insert into booking (id, code) values (1, 'trip')");
            rollback.append("cancel trip", () -> journal.add("cancel trip"));
            dispatch.append("announce trip", () -> journal.add("announce trip"));
            for (Runnable step : steps) {
                try {
                    step.run();
                }
                catch (IllegalStateException caught) {
                    journal.add("caught " + caught.getMessage());
                }
            }
            if (fail) {
                throw new IllegalStateException("trip declined");
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        RecordingScopeListener recordingScopeListener() {
            return new RecordingScopeListener();
        }

        @Bean
        Seats seats(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
            return new Seats(jdbc, rollback, dispatch, journal);
        }

        @Bean
        Trips trips(JdbcTemplate jdbc, Seats seats, RollbackCommands rollback, DispatchCommands dispatch,
                Journal journal) {
            return new Trips(jdbc, seats, rollback, dispatch, journal);
        }
    }

    abstract static class Scenarios {

        @Autowired
        Trips trips;

        @Autowired
        Seats seats;

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        Journal journal;

        @Autowired
        RecordingScopeListener reports;

        @BeforeEach
        void clean() {
            jdbc.update("delete from booking");
            journal.clear();
            reports.clear();
        }

        private List<Integer> committedRows() {
            return jdbc.queryForList("select id from booking order by id", Integer.class);
        }

        @Test
        void s1_aSavepointRollbackRunsOnlyTheCompensationsRegisteredSinceAndTheRestCommits() {
            trips.book(List.of(() -> seats.reserve(10, false), () -> seats.reserve(11, true),
                    () -> seats.reserve(12, false)), false);

            assertThat(journal.lines()).as("seat 11 released at once; the rest dispatched after commit")
                    .containsExactly("release seat 11", "caught seat 11 taken", "announce trip", "announce seat 10",
                            "announce seat 12");
            assertThat(committedRows()).containsExactly(1, 10, 12);
            ScopeReport report = reports.only("Trips.book");
            assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
            assertThat(command(report, "release seat 11").status()).isEqualTo(CommandStatus.DONE);
            assertThat(command(report, "release seat 11").note()).contains("savepoint");
            assertThat(command(report, "release seat 10").status()).isEqualTo(CommandStatus.DISCARDED);
            assertThat(command(report, "announce seat 11").status()).isEqualTo(CommandStatus.DISCARDED);
            assertThat(command(report, "announce seat 11").note()).contains("savepoint");
        }

        @Test
        void s1_whenTheOuterScopeFailsLaterTheCompensationsBeforeTheSavepointRunAndTheRolledBackOnesDoNotRunTwice() {
            Throwable thrown = catchThrowable(() -> trips.book(List.of(() -> seats.reserve(10, false),
                    () -> seats.reserve(11, true)), true));

            assertThat(thrown).hasMessage("trip declined");
            assertThat(journal.lines()).containsExactly("release seat 11", "caught seat 11 taken", "release seat 10",
                    "cancel trip");
            assertThat(committedRows()).isEmpty();
        }

        @Test
        void s1_n1_aScopeOfItsOwnInsideTheSavepointIsUndoneOnceAndTheOuterScopeKeepsItsCommands() {
            trips.book(List.of(() -> seats.reserve(10, false), () -> seats.reserveInOwnScope(11, true)), false);

            assertThat(journal.lines()).containsExactly("release seat 11", "caught seat 11 taken", "announce trip",
                    "announce seat 10");
            assertThat(committedRows()).containsExactly(1, 10);
            assertThat(command(reports.only("Seats.reserveInOwnScope"), "release seat 11").status())
                    .isEqualTo(CommandStatus.DONE);
        }

        @Test
        void s1_n1_commandsOfAScopeThatReturnedAndJoinedGoWithTheSavepointItRanIn() {
            trips.book(List.of(() -> seats.reserve(10, false),
                    () -> seats.reserveThroughJoinedScopeThenFail(seats, 11)), false);

            assertThat(journal.lines()).containsExactly("release seat 11", "caught after seat 11", "announce trip",
                    "announce seat 10");
            assertThat(committedRows()).containsExactly(1, 10);
        }

        @Test
        void s1_aSavepointThatIsReleasedKeepsItsCommandsWithTheScope() {
            Throwable thrown = catchThrowable(() -> trips.book(List.of(() -> seats.reserve(10, false)), true));

            assertThat(thrown).hasMessage("trip declined");
            assertThat(journal.lines()).containsExactly("release seat 10", "cancel trip");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class)
    class OnPostgreSql extends Scenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.postgres(registry, "savepoints");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class)
    class OnH2 extends Scenarios {

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            TestDatabases.h2(registry, "savepoints");
        }
    }
}
