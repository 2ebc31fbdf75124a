package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The settlement of committed scopes stays off their callers' threads while a worker runs (J2, J3): the caller that
 * finds many entries waiting hands the write to the worker's threads instead of writing it, and nothing is written
 * twice or lost.
 */
class SettlementBatchTest {

    /** The threads that wrote settlements, and what they wrote. */
    private final List<String> writers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> new Thread(task, "worker"));

    private final SettlementBatch batch = new SettlementBatch(new JournalContext(recordingRepository(), null,
            JournalSettings.defaults("test"), Clock.systemUTC()));

    private JournalRepository recordingRepository() {
        return (JournalRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {JournalRepository.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("settleCommitted")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    writers.add(Thread.currentThread().getName());
                    @SuppressWarnings("unchecked") List<String> delivered = (List<String>) args[0];
                    @SuppressWarnings("unchecked") List<String> units = (List<String>) args[1];
                    @SuppressWarnings("unchecked") List<String> compensations = (List<String>) args[2];
                    written.addAll(delivered);
                    written.addAll(units);
                    written.addAll(compensations);
                    return null;
                });
    }

    @AfterEach
    void tearDown() {
        worker.shutdownNow();
    }

    @Test
    void aCallerThatFindsManyEntriesWaitingHandsTheWriteToTheWorkerAndGoesOn_J2() throws InterruptedException {
        batch.inBackground(true, worker);
        int scopes = SettlementBatch.HAND_OVER_AT / 2;
        for (int scope = 1; scope < scopes; scope++) {
            batch.add(List.of("d" + scope), List.of("u" + scope), List.of("c" + scope));
        }
        assertThat(writers).as("below the hand-over mark, everything waits for the worker's poll").isEmpty();

        batch.add(List.of("d" + scopes), List.of("u" + scopes), List.of("c" + scopes));
        worker.shutdown();
        assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(writers).as("written once, on the worker's thread, not the caller's").containsExactly("worker");
        assertThat(written).hasSize(3 * scopes).doesNotHaveDuplicates().contains("d1", "u" + scopes, "c" + scopes);
        assertThat(batch.flush()).as("nothing left for the next poll").isZero();
    }

    @Test
    void withoutAWorkerEachScopeWritesItsOwnAtOnce_J2() {
        batch.inBackground(false, worker);

        batch.add(List.of("d1"), List.of("u1"), List.of("c1"));

        assertThat(writers).containsExactly(Thread.currentThread().getName());
        assertThat(written).containsExactly("d1", "u1", "c1");
    }

    @Test
    void aWorkerThatIsStoppingLeavesTheEntriesForItsLastFlush_J2() {
        worker.shutdown();
        batch.inBackground(true, worker);
        int scopes = SettlementBatch.HAND_OVER_AT / 2;
        for (int scope = 1; scope <= scopes; scope++) {
            batch.add(List.of("d" + scope), List.of("u" + scope), List.of("c" + scope));
        }
        assertThat(writers).as("the refused hand-over writes nothing on the caller's thread").isEmpty();

        assertThat(batch.flush()).isEqualTo(2 * scopes);
        assertThat(written).hasSize(3 * scopes).doesNotHaveDuplicates();
    }
}
