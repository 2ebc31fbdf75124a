package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.support.CompensationTemplate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * J5 on PostgreSQL (embedded): an instance that starts with {@code initialize-schema=true} next to a running one never
 * stalls the journal, whatever the running instance's business transactions hold.
 */
class SchemaInitializationTest {

    JournalFixture fixture;
    Remote remote;
    Journal journal;
    CompensationTemplate template;
    ExecutorService threads;
    CountDownLatch mayCommit;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(TestDatabases.postgres());
        remote = new Remote();
        fixture.bean("remote", remote);
        journal = fixture.journal("running-instance");
        template = fixture.template(journal);
        threads = Executors.newFixedThreadPool(3);
        mayCommit = new CountDownLatch(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        mayCommit.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        fixture.close();
    }

    /**
     * A business transaction of the running instance that wrote its marker and outbox rows (right before its commit)
     * and stays open there, holding their locks.
     */
    private Future<?> openBusinessTransaction(String id) throws InterruptedException {
        CountDownLatch written = new CountDownLatch(1);
        DurableRollbackCommands rollback = JournalCommands.rollback(journal);
        DurableDispatchCommands dispatch = JournalCommands.dispatch(journal);
        Future<?> business = threads.submit(() -> template.execute("Trips.slow", () -> fixture.tx.execute(status -> {
            rollback.append(Remote.class).cancel(id);
            dispatch.append(Remote.class).publish("booked " + id);
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void beforeCommit(boolean readOnly) {
                            written.countDown();
                            try {
                                mayCommit.await(60, TimeUnit.SECONDS);
                            }
                            catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    });
            return null;
        })));
        assertThat(written.await(30, TimeUnit.SECONDS)).as("the business transaction wrote its rows").isTrue();
        return business;
    }

    @Test
    void startingNextToAnOpenBusinessTransactionNeitherWaitsNorBlocksOtherWrites_J5() throws Exception {
        Future<?> business = openBusinessTransaction("s1");

        Future<?> starting = threads.submit(() -> JournalSchema.initialize(fixture.dataSource, fixture.dialect,
                fixture.prefix));
        starting.get(20, TimeUnit.SECONDS);
        DurableRollbackCommands rollback = JournalCommands.rollback(journal);
        Future<?> another = threads.submit(() -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
            rollback.append(Remote.class).cancel("s2");
            return null;
        })));
        another.get(20, TimeUnit.SECONDS);

        mayCommit.countDown();
        business.get(30, TimeUnit.SECONDS);
        assertThat(remote.count("publish", "booked s1")).isEqualTo(1);
        assertThat(fixture.count("unit", "state = 'COMMITTED'")).isEqualTo(2);
    }

    @Test
    void aMissingIndexThatCannotGetItsLockFailsTheStartWithAReasonInsteadOfStallingTheJournal_J5_E3()
            throws Exception {
        fixture.jdbc.execute("drop index " + fixture.prefix + "command_due");
        Future<?> business = openBusinessTransaction("s3");

        assertThatThrownBy(() -> JournalSchema.initialize(fixture.dataSource, fixture.dialect, fixture.prefix))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hold locks on its table")
                .hasMessageContaining(fixture.prefix + "command_due");

        mayCommit.countDown();
        business.get(30, TimeUnit.SECONDS);
        JournalSchema.initialize(fixture.dataSource, fixture.dialect, fixture.prefix);
        assertThat(fixture.jdbc.queryForObject("select count(*) from pg_indexes where indexname = ?", Integer.class,
                fixture.prefix + "command_due")).as("created once nothing holds the table").isEqualTo(1);
    }
}
