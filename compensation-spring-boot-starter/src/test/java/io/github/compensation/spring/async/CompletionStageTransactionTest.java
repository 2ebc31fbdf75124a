package io.github.compensation.spring.async;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.Outcome;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.testsupport.CommittedRows;
import io.github.compensation.spring.testsupport.RecordingScopeListener;
import io.github.compensation.spring.testsupport.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A1 with T2 on PostgreSQL: an advised method returns a {@code CompletableFuture} inside a caller's transaction, its
 * stage completes on another thread after the method returned, and the scope needs both the stage and the caller's
 * transaction to succeed. Compensations and dispatches write rows of their own, read back through a fresh connection.
 */
@SpringBootTest(classes = CompletionStageTransactionTest.App.class)
class CompletionStageTransactionTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.postgres(registry, "async_stage");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    static class App {

        @Bean
        Reservations reservations(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch) {
            return new Reservations(jdbc, rollback, dispatch);
        }

        @Bean
        RecordingScopeListener recordingScopeListener() {
            return new RecordingScopeListener();
        }
    }

    /** Registers an undo and an announcement, then hands back the partner's answer once it arrives. */
    static class Reservations {

        private final JdbcTemplate jdbc;
        private final RollbackCommands rollback;
        private final DispatchCommands dispatch;

        Reservations(JdbcTemplate jdbc, RollbackCommands rollback, DispatchCommands dispatch) {
            this.jdbc = jdbc;
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        public CompletableFuture<String> reserve(int id, CompletableFuture<String> partner) {
            rollback.append("cancel " + id, () -> audit(id, "cancelled"));
            dispatch.append("announce " + id, () -> audit(id, "announced"));
            return partner.thenApply(answer -> answer + " " + id);
        }

        private void audit(int id, String what) {
            jdbc.update("insert into audit (id, note) values (?, ?)", what + "-" + id, what + " " + id);
        }
    }

    @Autowired
    Reservations reservations;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    RecordingScopeListener reports;

    @Autowired
    DataSource dataSource;

    private ExecutorService partner;

    @BeforeEach
    void startPartner() {
        reports.clear();
        partner = Executors.newSingleThreadExecutor(task -> new Thread(task, "partner"));
    }

    @AfterEach
    void stopPartner() throws InterruptedException {
        partner.shutdownNow();
        assertThat(partner.awaitTermination(10, SECONDS)).isTrue();
    }

    @Test
    void a1_t2_stageSucceedsAndCallerCommits_dispatchesAfterTheCommit() {
        Booked booked = book(1, null, true);

        assertThat(booked.joined()).isEqualTo("confirmed 1");
        assertThat(committedNotes(1)).containsExactly("announced 1");
        assertThat(new CommittedRows(dataSource).bookingIds()).contains(1);
        assertThat(reports.only("Reservations.reserve").outcome()).isEqualTo(Outcome.COMMITTED);
    }

    @Test
    void a1_t2_stageSucceedsAndCallerRollsBack_compensates() {
        Booked booked = book(2, null, false);

        assertThat(booked.joined()).isEqualTo("confirmed 2");
        assertThat(committedNotes(2)).containsExactly("cancelled 2");
        assertThat(new CommittedRows(dataSource).bookingIds()).doesNotContain(2);
        assertThat(reports.only("Reservations.reserve").outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void a1_t2_stageFailsAndCallerCommits_compensatesBeforeJoinSeesTheSameException() {
        IllegalStateException refused = new IllegalStateException("partner refused 3");
        Booked booked = book(3, refused, true);

        assertThat(booked.failure()).isInstanceOf(CompletionException.class).cause().isSameAs(refused);
        assertThat(booked.notesAtJoin()).containsExactly("cancelled 3");
        assertThat(committedNotes(3)).containsExactly("cancelled 3");
        assertThat(reports.only("Reservations.reserve").outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void a1_t2_stageFailsAndCallerRollsBack_compensatesOnce() {
        IllegalStateException refused = new IllegalStateException("partner refused 4");
        Booked booked = book(4, refused, false);

        assertThat(booked.failure()).isInstanceOf(CompletionException.class).cause().isSameAs(refused);
        assertThat(committedNotes(4)).containsExactly("cancelled 4");
        assertThat(new CommittedRows(dataSource).bookingIds()).doesNotContain(4);
        assertThat(reports.only("Reservations.reserve").outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void a1_t2_stageCompletingAfterTheCallerCommittedDispatchesOnlyOnceItCompleted() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<String> booking = transactions.execute(status -> {
            jdbc.update("insert into booking (id, code) values (?, ?)", 5, "code-5");
            return reservations.reserve(5, answer);
        });

        assertThat(committedNotes(5)).as("committed, but the stage is still running").isEmpty();
        partner.execute(() -> answer.complete("confirmed"));

        assertThat(booking.get(10, SECONDS)).isEqualTo("confirmed 5");
        assertThat(committedNotes(5)).containsExactly("announced 5");
    }

    /**
     * Opens a transaction that inserts a booking and calls the advised method, completes the partner's answer on
     * another thread after the method returned, waits for the caller's future inside the transaction, then commits
     * or rolls back.
     */
    private Booked book(int id, RuntimeException partnerFailure, boolean callerCommits) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        return transactions.execute(status -> {
            jdbc.update("insert into booking (id, code) values (?, ?)", id, "code-" + id);
            CompletableFuture<String> booking = reservations.reserve(id, answer);
            partner.execute(() -> {
                if (partnerFailure == null) {
                    answer.complete("confirmed");
                }
                else {
                    answer.completeExceptionally(partnerFailure);
                }
            });
            Throwable failure = catchThrowable(booking::join);
            List<String> notesAtJoin = committedNotes(id);
            if (!callerCommits) {
                status.setRollbackOnly();
            }
            return new Booked(failure == null ? booking.join() : null, failure, notesAtJoin);
        });
    }

    private record Booked(String joined, Throwable failure, List<String> notesAtJoin) {
    }

    private List<String> committedNotes(int id) {
        return new CommittedRows(dataSource).auditNotes().stream().filter(note -> note.endsWith(" " + id)).toList();
    }
}
