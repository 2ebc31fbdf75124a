package io.github.compensation;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A3: several threads register into one carried scope in one order, and a scope may compensate in parallel. */
class ParallelScopeTest {

    private static final int THREADS = 16;
    private static final int PER_THREAD = 500;

    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final List<ScopeReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final ExecutorService workers = Executors.newFixedThreadPool(THREADS,
            task -> new Thread(task, "worker"));
    private final ExecutorService undoPool = Executors.newFixedThreadPool(3, task -> new Thread(task, "undo"));
    private final CompensationTemplate template = CompensationTemplate.builder().parallelExecutor(undoPool)
            .listeners(List.<ScopeListener>of(reports::add)).build();

    @AfterEach
    void stopPools() throws InterruptedException {
        workers.shutdownNow();
        undoPool.shutdownNow();
        assertThat(workers.awaitTermination(10, SECONDS)).isTrue();
        assertThat(undoPool.awaitTermination(10, SECONDS)).isTrue();
    }

    @Test
    void a3_16ThreadsRegisteringIntoOneCarriedScopeStackInTheOrderTheRegistrationsHappened() {
        Object turn = new Object();
        int[] next = {0};
        IllegalStateException failure = new IllegalStateException("failed after the parallel part");

        Throwable thrown = catchThrowable(() -> template.execute("Trips.book", () -> {
            List<Future<?>> registering = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                registering.add(workers.submit(Compensations.wrap(() -> {
                    for (int index = 0; index < PER_THREAD; index++) {
                        synchronized (turn) {
                            String ticket = String.valueOf(next[0]++);
                            rollback.append(ticket, () -> ran.add(ticket));
                        }
                    }
                })));
            }
            for (Future<?> each : registering) {
                each.get(30, SECONDS);
            }
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        int total = THREADS * PER_THREAD;
        List<String> newestFirst = IntStream.range(0, total).mapToObj(index -> String.valueOf(total - 1 - index))
                .toList();
        assertThat(ran).isEqualTo(newestFirst);
    }

    @Test
    void a3_registrationsRacingFromManyThreadsAreAllKeptAndEachThreadKeepsItsOwnOrder() {
        IllegalStateException failure = new IllegalStateException("failed");

        catchThrowable(() -> template.execute("Trips.book", () -> {
            List<Future<?>> registering = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                String name = "t" + thread;
                registering.add(workers.submit(Compensations.wrap(() -> {
                    for (int index = 0; index < PER_THREAD; index++) {
                        String description = name + ":" + index;
                        rollback.append(description, () -> ran.add(description));
                    }
                })));
            }
            for (Future<?> each : registering) {
                each.get(30, SECONDS);
            }
            throw failure;
        }));

        assertThat(ran).hasSize(THREADS * PER_THREAD).doesNotHaveDuplicates();
        Map<String, List<Integer>> byThread = ran.stream().collect(Collectors.groupingBy(
                entry -> entry.substring(0, entry.indexOf(':')),
                Collectors.mapping(entry -> Integer.parseInt(entry.substring(entry.indexOf(':') + 1)),
                        Collectors.toList())));
        List<Integer> newestFirst = IntStream.range(0, PER_THREAD).map(index -> PER_THREAD - 1 - index).boxed()
                .toList();
        assertThat(byThread).hasSize(THREADS).allSatisfy((thread, order) -> assertThat(order).isEqualTo(newestFirst));
    }

    @Test
    void a3_parallelCompensationsRunConcurrentlyAllAwaitedWithFailuresSuppressedNewestFirst() {
        CountDownLatch allStarted = new CountDownLatch(3);
        CountDownLatch flightFailed = new CountDownLatch(1);
        IllegalStateException flightDown = new IllegalStateException("flights unreachable");
        IllegalStateException carDown = new IllegalStateException("cars unreachable");
        IllegalStateException declined = new IllegalStateException("payment declined");

        Throwable thrown;
        try (LogCapture log = LogCapture.of(CompensationTemplate.class.getName())) {
            thrown = catchThrowable(() -> template.execute(ScopeDefinition.named("Trips.book").withParallel(true),
                    () -> {
                        rollback.append("cancel flight", () -> {
                            meet(allStarted);
                            ran.add("cancel flight on " + Thread.currentThread().getName());
                            flightFailed.countDown();
                            throw flightDown;
                        });
                        rollback.append("cancel hotel", () -> {
                            meet(allStarted);
                            ran.add("cancel hotel on " + Thread.currentThread().getName());
                        });
                        rollback.append("cancel car", () -> {
                            meet(allStarted);
                            assertThat(flightFailed.await(10, SECONDS)).isTrue();
                            ran.add("cancel car on " + Thread.currentThread().getName());
                            throw carDown;
                        });
                        throw declined;
                    }));
        }

        assertThat(thrown).isSameAs(declined);
        assertThat(ran).as("each waited for the two others to start: they ran at the same time").containsExactlyInAnyOrder(
                "cancel flight on undo", "cancel hotel on undo", "cancel car on undo");
        assertThat(declined.getSuppressed()).as("stack order, although the flight failed first")
                .containsExactly(carDown, flightDown);
        ScopeReport report = reports.get(0);
        assertThat(report.commands()).extracting(CommandReport::status).containsExactly(CommandStatus.FAILED,
                CommandStatus.DONE, CommandStatus.FAILED);
    }

    @Test
    void a3_aScopeNotDeclaredParallelStillCompensatesOneAfterTheOtherOnItsThread() {
        catchThrowable(() -> template.execute("Trips.book", () -> {
            rollback.append("cancel flight", () -> ran.add("cancel flight on " + Thread.currentThread().getName()));
            rollback.append("cancel hotel", () -> ran.add("cancel hotel on " + Thread.currentThread().getName()));
            throw new IllegalStateException("failed");
        }));

        String caller = Thread.currentThread().getName();
        assertThat(ran).containsExactly("cancel hotel on " + caller, "cancel flight on " + caller);
    }

    /** Arrives and waits for the others; fails when they do not come, which they cannot when run one by one. */
    private static void meet(CountDownLatch latch) throws InterruptedException {
        latch.countDown();
        if (!latch.await(10, SECONDS)) {
            throw new IllegalStateException("the other compensations did not run at the same time");
        }
    }
}
