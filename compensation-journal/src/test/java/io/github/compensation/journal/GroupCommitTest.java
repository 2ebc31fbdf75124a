package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * J2 on PostgreSQL (embedded): the write-aheads of concurrent threads share commits, and every {@code append} still
 * returns only once its compensation is in the database. The crash while a group is written is in
 * {@link CrashRecoveryTest}.
 */
class GroupCommitTest {

    private static final int THREADS = 8;
    private static final int SCOPES = 40;

    JournalFixture fixture;
    Journal journal;
    ExecutorService threads;

    @BeforeEach
    void setUp() {
        fixture = new JournalFixture(TestDatabases.postgres());
        fixture.bean("remote", new Remote());
        journal = fixture.journal("grouping");
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        fixture.close();
    }

    @Test
    void concurrentWriteAheadsShareCommitsAndEachIsInTheDatabaseWhenAppendReturns_J2() throws Exception {
        DurableRollbackCommands rollback = JournalCommands.rollback(journal);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            String name = "g" + thread + "-";
            workers.add(threads.submit(() -> {
                start.await();
                for (int scope = 0; scope < SCOPES; scope++) {
                    String id = name + scope;
                    JournalFixture.crashingTemplate().execute("Trips.book", () -> {
                        rollback.append(Remote.class).cancel(id);
                        assertThat(fixture.count("command", "payload = ?", "[\"" + id + "\"]"))
                                .as("journaled before append returned").isEqualTo(1);
                        return null;
                    });
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(120, TimeUnit.SECONDS);
        }

        GroupCommit group = ((JournalStore) journal.store()).groupCommit();
        assertThat(group.members()).isEqualTo(THREADS * SCOPES);
        assertThat(group.commits()).as("write-aheads shared commits").isLessThan(group.members());
        assertThat(fixture.count("command", "kind = 'COMPENSATION'")).isEqualTo(THREADS * SCOPES);
        assertThat(fixture.count("unit", "")).isEqualTo(THREADS * SCOPES);
        System.out.printf("[group commit, PostgreSQL] %d write-aheads in %d commits%n", group.members(),
                group.commits());
    }
}
