package io.github.compensation;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** N3: holders are thread-confined, threads are left clean, and carrying a scope to another thread is explicit. */
class ThreadConfinementTest {

    private static final int THREADS = 64;
    private static final int SCOPES_PER_THREAD = 1_000;
    private static final long SEED = 20240601L;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<ScopeReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();
    private ExecutorService otherThread;

    @BeforeEach
    void startOtherThread() {
        otherThread = Executors.newSingleThreadExecutor(task -> new Thread(task, "other-thread"));
    }

    @AfterEach
    void stopOtherThread() throws InterruptedException {
        otherThread.shutdownNow();
        assertThat(otherThread.awaitTermination(10, SECONDS)).isTrue();
    }

    @Test
    void n3_64ThreadsRunning1000ScopesEachWithRandomFailuresOnlyEverRunTheirOwnCommandsAndEndClean()
            throws Exception {
        Map<String, ScopeReport> unclaimedReports = new ConcurrentHashMap<>();
        CompensationTemplate shared = CompensationTemplate.builder()
                .listeners(List.<ScopeListener>of(report -> unclaimedReports.put(report.id(), report))).build();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Map<Ending, Integer> endings = new EnumMap<>(Ending.class);
        int innerFailures = 0;
        List<CompensationScope> leftOnPoolThreads = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<Worker>> workers = new ArrayList<>();
            for (int index = 0; index < THREADS; index++) {
                Worker worker = new Worker(index, shared, unclaimedReports, violations);
                workers.add(pool.submit(() -> {
                    start.await(30, SECONDS);
                    return worker.runAll();
                }));
            }
            for (Future<Worker> future : workers) {
                Worker worker = future.get(120, SECONDS);
                worker.endings.forEach((ending, count) -> endings.merge(ending, count, Integer::sum));
                innerFailures += worker.innerFailures;
            }

            CyclicBarrier everyThread = new CyclicBarrier(THREADS);
            List<Future<CompensationScope>> probes = new ArrayList<>();
            for (int index = 0; index < THREADS; index++) {
                probes.add(pool.submit(() -> {
                    everyThread.await(30, SECONDS);
                    return Compensations.currentScope();
                }));
            }
            for (Future<CompensationScope> probe : probes) {
                leftOnPoolThreads.add(probe.get(60, SECONDS));
            }
        }
        finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, SECONDS)).isTrue();
        }

        assertThat(violations).as("commands that ran for another thread's scope, or ran wrongly").isEmpty();
        assertThat(unclaimedReports).as("reports of scopes no worker opened").isEmpty();
        assertThat(leftOnPoolThreads).hasSize(THREADS).containsOnlyNulls();
        assertThat(endings.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(THREADS * SCOPES_PER_THREAD);
        assertThat(endings).as("every kind of ending was exercised").containsOnlyKeys(Ending.values())
                .allSatisfy((ending, count) -> assertThat(count).isGreaterThan(1_000));
        assertThat(innerFailures).isGreaterThan(1_000);
    }

    @Test
    void n3_withoutWrapAnotherThreadCannotReachTheScope() {
        AtomicReference<Throwable> onOtherThread = new AtomicReference<>();

        template.execute("Trip.book", () -> {
            Future<?> unwrapped = otherThread.submit(() -> rollback.append("cancel hotel", () -> calls.add("x")));
            onOtherThread.set(catchThrowable(() -> unwrapped.get(10, SECONDS)));
            return null;
        });

        assertThat(onOtherThread.get()).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No compensation scope accepting rollback commands is open on thread 'other-thread':"
                        + " annotate the calling method with @RollbackOnceFailed (on a Spring bean, called through"
                        + " its proxy unless compensation.mode=aspectj), or run the code through"
                        + " CompensationTemplate.execute(...). Scopes stay on their thread: work handed to another"
                        + " thread registers in the caller's scope only when the scope is carried explicitly"
                        + " (Compensations.wrap(...), or compensation.async.propagate-scope=true in Spring Boot)");
        assertThat(reports.get(0).commands()).isEmpty();
    }

    @Test
    void n3_wrapCarriesTheScopeToAnotherThreadExplicitlyAndLeavesThatThreadClean() throws Exception {
        IllegalStateException failure = new IllegalStateException("payment declined");
        Thread caller = Thread.currentThread();
        AtomicReference<CompensationScope> seenOnOtherThread = new AtomicReference<>();
        AtomicReference<CompensationScope> scope = new AtomicReference<>();

        Throwable thrown = catchThrowable(() -> template.execute("Trip.book", () -> {
            scope.set(Compensations.currentScope());
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            Future<?> wrapped = otherThread.submit(Compensations.wrap(() -> {
                seenOnOtherThread.set(Compensations.currentScope());
                rollback.append("cancel hotel", () -> calls.add("cancel hotel on "
                        + (Thread.currentThread() == caller ? "caller" : Thread.currentThread().getName())));
                dispatch.append("publish HotelReserved", () -> calls.add("publish HotelReserved"));
            }));
            wrapped.get(10, SECONDS);
            rollback.append("cancel car", () -> calls.add("cancel car"));
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(seenOnOtherThread.get()).isSameAs(scope.get());
        assertThat(calls).containsExactly("cancel car", "cancel hotel on caller", "cancel flight");
        assertThat(otherThread.submit(Compensations::currentScope).get(10, SECONDS)).isNull();
    }

    @Test
    void n3_wrapOfACallableCarriesTheScopeAndItsResult() throws Exception {
        String result = template.execute("Orders.place", () -> {
            Callable<String> task = Compensations.wrap(() -> {
                dispatch.append("publish OrderPlaced", () -> calls.add("publish OrderPlaced"));
                return "registered on " + Thread.currentThread().getName();
            });
            return otherThread.submit(task).get(10, SECONDS);
        });

        assertThat(result).isEqualTo("registered on other-thread");
        assertThat(calls).containsExactly("publish OrderPlaced");
        assertThat(otherThread.submit(Compensations::currentScope).get(10, SECONDS)).isNull();
    }

    @Test
    void n3_aWrappedTaskThatThrowsStillLeavesTheOtherThreadClean() throws Exception {
        template.execute("Orders.place", () -> {
            Future<?> failing = otherThread.submit(Compensations.wrap((Runnable) () -> {
                throw new SimulatedError("task blew up");
            }));
            assertThat(catchThrowable(() -> failing.get(10, SECONDS))).cause().isInstanceOf(SimulatedError.class);
            return null;
        });

        assertThat(otherThread.submit(Compensations::currentScope).get(10, SECONDS)).isNull();
    }

    @Test
    void n3_aWrappedTaskRunAfterTheScopeEndedIsRefused() throws Exception {
        AtomicReference<Runnable> carried = new AtomicReference<>();
        template.execute("Orders.place", () -> {
            carried.set(Compensations.wrap(() -> {
                rollback.append("cancel late", () -> calls.add("cancel late"));
            }));
            return null;
        });
        String scopeId = reports.get(0).id();

        Future<?> late = otherThread.submit(carried.get());

        assertThat(catchThrowable(() -> late.get(10, SECONDS))).cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot register rollback command 'cancel late': scope " + scopeId + " Orders.place has"
                        + " already ended; register commands while its method is still running");
        assertThat(otherThread.submit(Compensations::currentScope).get(10, SECONDS)).isNull();
    }

    @Test
    void n3_wrapWithNoOpenScopeReturnsTheTaskItself() {
        Runnable runnable = () -> {
        };
        Callable<String> callable = () -> "x";

        assertThat(Compensations.wrap(runnable)).isSameAs(runnable);
        assertThat(Compensations.wrap(callable)).isSameAs(callable);
    }

    @Test
    void n3_theThreadIsLeftAsItWasFoundAfterReturnsExceptionsAndErrors() {
        template.execute("A.run", () -> null);
        assertThat(Compensations.currentScope()).isNull();

        catchThrowable(() -> template.execute("A.run", () -> {
            throw new IllegalStateException("failed");
        }));
        assertThat(Compensations.currentScope()).isNull();

        catchThrowable(() -> template.execute("A.run", () -> {
            rollback.append("undo", () -> {
                throw new SimulatedError("undo blew up");
            });
            throw new SimulatedError("method blew up");
        }));
        assertThat(Compensations.currentScope()).isNull();

        CompensationTemplate propagating = CompensationTemplate.builder().listeners(List.of())
                .dispatchFailurePolicy(DispatchFailurePolicy.PROPAGATE).build();
        assertThatThrownBy(() -> propagating.execute("A.run", () -> {
            dispatch.append("publish", () -> {
                throw new IllegalStateException("broker down");
            });
            return null;
        })).isInstanceOf(DispatchFailedException.class);
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void n3_aScopeBoundBeforeTheCallIsRestoredAfterIt() throws Exception {
        AtomicReference<CompensationScope> captured = new AtomicReference<>();
        template.execute("Outer.run", () -> {
            captured.set(Compensations.currentScope());
            Future<CompensationScope> afterInnerCall = otherThread.submit(() -> {
                CompensationScope previous = Compensations.bindScope(captured.get());
                try {
                    catchThrowable(() -> template.execute("Inner.run", () -> {
                        throw new SimulatedError("inner blew up");
                    }));
                    return Compensations.currentScope();
                }
                finally {
                    Compensations.restoreScope(previous);
                }
            });
            assertThat(afterInnerCall.get(10, SECONDS)).isSameAs(captured.get());
            return null;
        });

        assertThat(otherThread.submit(Compensations::currentScope).get(10, SECONDS)).isNull();
    }

    enum Ending { COMMIT, ROLLBACK_EXCEPTION, NO_ROLLBACK_EXCEPTION, ERROR }

    enum Op { COMPENSATION, CLEANUP, DISPATCH, INNER_RETURNS, INNER_FAILS }

    /** One thread's share of the stress test: runs its scopes and checks each one as soon as it ended. */
    private static final class Worker {

        private final int index;
        private final CompensationTemplate template;
        private final Map<String, ScopeReport> unclaimedReports;
        private final Queue<String> violations;
        private final Random random;
        private final Map<Ending, Integer> endings = new EnumMap<>(Ending.class);
        private int innerFailures;
        private Thread owner;

        Worker(int index, CompensationTemplate template, Map<String, ScopeReport> unclaimedReports,
                Queue<String> violations) {
            this.index = index;
            this.template = template;
            this.unclaimedReports = unclaimedReports;
            this.violations = violations;
            this.random = new Random(SEED + index);
        }

        Worker runAll() {
            owner = Thread.currentThread();
            for (int number = 0; number < SCOPES_PER_THREAD; number++) {
                runOne("w" + index + "-s" + number);
            }
            check(Compensations.currentScope() == null, "worker " + index + " ended with a scope bound");
            return this;
        }

        private void runOne(String name) {
            Ending ending = ending();
            List<Op> ops = new ArrayList<>();
            for (int count = random.nextInt(6); count > 0; count--) {
                ops.add(Op.values()[random.nextInt(Op.values().length)]);
            }
            List<String> events = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            Deque<String[]> expectedStack = new ArrayDeque<>();
            List<String> expectedDispatches = new ArrayList<>();
            List<String> innerReportIds = new ArrayList<>();
            AtomicReference<String> scopeId = new AtomicReference<>();
            Throwable failure = switch (ending) {
                case COMMIT -> null;
                case ROLLBACK_EXCEPTION -> new IllegalStateException(name);
                case NO_ROLLBACK_EXCEPTION -> new NotRolledBack(name);
                case ERROR -> new SimulatedError(name);
            };
            ScopeDefinition definition = ScopeDefinition.named(name)
                    .withRules(new RollbackRules(List.of(), List.of(NotRolledBack.class)));

            Object result;
            try {
                result = template.<Object, Throwable>execute(definition, () -> {
                    CompensationScope scope = Compensations.currentScope();
                    check(scope != null && scope.name().equals(name), name + " callback sees scope " + scope);
                    scopeId.set(scope == null ? null : scope.id());
                    int step = 0;
                    for (Op op : ops) {
                        String label = name + "#" + step++;
                        switch (op) {
                            case COMPENSATION -> {
                                Compensations.rollbackCommands().append(label, command("undo " + label, name, events));
                                expectedStack.push(new String[] {"undo", "undo " + label});
                            }
                            case CLEANUP -> {
                                Compensations.rollbackCommands()
                                        .appendCleanup(label, command("cleanup " + label, name, events));
                                expectedStack.push(new String[] {"cleanup", "cleanup " + label});
                            }
                            case DISPATCH -> {
                                Compensations.dispatchCommands().append(label, command("send " + label, name, events));
                                expectedDispatches.add("send " + label);
                            }
                            case INNER_RETURNS -> {
                                template.execute(name + "/inner", () -> {
                                    Compensations.rollbackCommands()
                                            .append(label, command("undo " + label, name, events));
                                    Compensations.dispatchCommands()
                                            .append(label, command("send " + label, name, events));
                                    return null;
                                });
                                expectedStack.push(new String[] {"undo", "undo " + label});
                                expectedDispatches.add("send " + label);
                            }
                            case INNER_FAILS -> {
                                RuntimeException innerFailure = new IllegalStateException(label);
                                Throwable caught = catchThrowable(() -> template.execute(name + "/inner", () -> {
                                    innerReportIds.add(Compensations.currentScope().id());
                                    Compensations.rollbackCommands()
                                            .append(label, command("undo " + label, name, events));
                                    Compensations.dispatchCommands()
                                            .append(label, command("send " + label, name, events));
                                    throw innerFailure;
                                }));
                                check(caught == innerFailure, label + " inner failure reached the outer as " + caught);
                                expected.add("undo " + label);
                                innerFailures++;
                            }
                        }
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    return name;
                });
            }
            catch (Throwable thrown) {
                check(thrown == failure, name + " caller saw " + thrown + " instead of " + failure);
                result = null;
            }
            check(Compensations.currentScope() == null, name + " left a scope bound: " + Compensations.currentScope());
            check(failure != null || name.equals(result), name + " returned " + result);

            for (String[] entry : expectedStack) {
                if (entry[0].equals("cleanup") || ending == Ending.ROLLBACK_EXCEPTION || ending == Ending.ERROR) {
                    expected.add(entry[1]);
                }
            }
            if (ending == Ending.COMMIT) {
                expected.addAll(expectedDispatches);
            }
            check(events.equals(expected), name + " ran " + events + " but should have run " + expected);

            ScopeReport report = scopeId.get() == null ? null : unclaimedReports.remove(scopeId.get());
            Outcome outcome = switch (ending) {
                case COMMIT -> Outcome.COMMITTED;
                case ROLLBACK_EXCEPTION, ERROR -> Outcome.ROLLED_BACK;
                case NO_ROLLBACK_EXCEPTION -> Outcome.FAILED_NO_ROLLBACK;
            };
            check(report != null && report.name().equals(name) && report.outcome() == outcome,
                    name + " should be reported " + outcome + " but its report is " + report);
            for (String innerId : innerReportIds) {
                ScopeReport inner = unclaimedReports.remove(innerId);
                check(inner != null && inner.outcome() == Outcome.ROLLED_BACK,
                        name + " inner scope report is " + inner);
            }
            endings.merge(ending, 1, Integer::sum);
        }

        private Ending ending() {
            int roll = random.nextInt(100);
            if (roll < 45) {
                return Ending.COMMIT;
            }
            if (roll < 75) {
                return Ending.ROLLBACK_EXCEPTION;
            }
            return roll < 88 ? Ending.NO_ROLLBACK_EXCEPTION : Ending.ERROR;
        }

        /** A command that records its event and checks it runs on its own thread, for its own scope. */
        private Command command(String event, String scopeName, List<String> events) {
            return () -> {
                CompensationScope current = Compensations.currentScope();
                check(Thread.currentThread() == owner && current != null
                                && (current.name().equals(scopeName) || current.name().equals(scopeName + "/inner")),
                        event + " ran on " + Thread.currentThread().getName() + " for scope " + current);
                events.add(event);
            };
        }

        private void check(boolean condition, String violation) {
            if (!condition && violations.size() < 50) {
                violations.add(violation);
            }
        }
    }

    static final class NotRolledBack extends RuntimeException {
        NotRolledBack(String message) {
            super(message);
        }
    }

    static final class SimulatedError extends Error {
        SimulatedError(String message) {
            super(message);
        }
    }
}
