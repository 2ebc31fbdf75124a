package io.github.compensation;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.support.LoggingScopeListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A scope that returns while a transaction is active settles when that transaction completes (D1, R1, T2, T3), and
 * its commands run detached from it (D4). A fake {@link TransactionBridge} stands in for a transaction manager.
 */
class TransactionSettlementTest {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<ScopeReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final FakeTransaction transaction = new FakeTransaction(calls);
    private final CompensationTemplate template = template(UnknownOutcomePolicy.REPORT);
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @Test
    void d1_aScopeReturningInsideATransactionDispatchesOnlyAfterThatTransactionCommits() {
        transaction.begin();

        String result = template.execute("Orders.place", this::placeOrder);
        calls.add("caller continues");

        assertThat(result).isEqualTo("order 7");
        assertThat(calls).containsExactly("method returns", "caller continues");
        assertThat(reports).isEmpty();
        assertThat(Compensations.currentScope()).isNull();

        transaction.complete(Outcome.COMMITTED);

        assertThat(calls).containsExactly("method returns", "caller continues", "detach", "cleanup B (detached)",
                "publish OrderPlaced (detached)", "send mail (detached)", "reattach");
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
            assertThat(report.commands()).extracting(CommandReport::description, CommandReport::status)
                    .containsExactly(tuple("C", CommandStatus.DISCARDED), tuple("cleanup B", CommandStatus.DONE),
                            tuple("A", CommandStatus.DISCARDED), tuple("publish OrderPlaced", CommandStatus.DONE),
                            tuple("send mail", CommandStatus.DONE));
        });
    }

    @Test
    void r1_aScopeReturningInsideATransactionThatLaterRollsBackRunsItsCompensationsNewestFirst() {
        transaction.begin();
        template.execute("Orders.place", this::placeOrder);

        transaction.complete(Outcome.ROLLED_BACK);

        assertThat(calls).containsExactly("method returns", "detach", "undo C (detached)", "cleanup B (detached)",
                "undo A (detached)", "reattach");
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
            assertThat(report.cause()).isNull();
            assertThat(report.commands()).filteredOn(command -> command.kind() == CommandKind.DISPATCH)
                    .extracting(CommandReport::status, CommandReport::note)
                    .containsExactly(tuple(CommandStatus.DISCARDED, "not committed: rolled back"),
                            tuple(CommandStatus.DISCARDED, "not committed: rolled back"));
        });
    }

    @Test
    void t3_anUnknownOutcomeMarksCompensationsPendingRunsCleanupsAndLogsTheReportAtError() {
        CompensationTemplate logging = CompensationTemplate.builder().transactionBridge(transaction)
                .listeners(List.<ScopeListener>of(new LoggingScopeListener(), reports::add)).build();
        transaction.begin();
        logging.execute("Orders.place", this::placeOrder);

        try (LogCapture log = LogCapture.of("io.github.compensation.scope")) {
            transaction.complete(Outcome.UNKNOWN);

            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getMessage()).startsWith("compensation scope " + reports.get(0).id()
                        + " Orders.place ended with an unknown outcome after ");
            });
        }
        assertThat(calls).containsExactly("method returns", "detach", "cleanup B (detached)", "reattach");
        ScopeReport report = reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(report.needsAttention()).isTrue();
        assertThat(report.commands()).extracting(CommandReport::description, CommandReport::status,
                        CommandReport::note)
                .containsExactly(
                        tuple("C", CommandStatus.PENDING, "outcome unknown: check the remote side and resolve by hand"),
                        tuple("cleanup B", CommandStatus.DONE, null),
                        tuple("A", CommandStatus.PENDING, "outcome unknown: check the remote side and resolve by hand"),
                        tuple("publish OrderPlaced", CommandStatus.DISCARDED, "not committed: unknown"),
                        tuple("send mail", CommandStatus.DISCARDED, "not committed: unknown"));
    }

    @Test
    void t3_anUnknownOutcomeUnderTheCompensatePolicyRunsTheCompensations() {
        CompensationTemplate compensating = template(UnknownOutcomePolicy.COMPENSATE);
        transaction.begin();
        compensating.execute("Orders.place", this::placeOrder);

        transaction.complete(Outcome.UNKNOWN);

        assertThat(calls).containsExactly("method returns", "detach", "undo C (detached)", "cleanup B (detached)",
                "undo A (detached)", "reattach");
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(reports.get(0).commands()).filteredOn(command -> command.kind() == CommandKind.DISPATCH)
                .extracting(CommandReport::status).containsOnly(CommandStatus.DISCARDED);
    }

    @Test
    void d4_aScopeFailingInsideATransactionRunsItsCompensationsAtOnceDetachedFromIt() {
        transaction.begin();
        IllegalStateException failure = new IllegalStateException("declined");

        Throwable thrown = catchThrowable(() -> template.execute("Orders.place", () -> {
            placeOrder();
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(transaction.pendingCompletions()).isZero();
        assertThat(calls).containsExactly("method returns", "detach", "undo C (detached)", "cleanup B (detached)",
                "undo A (detached)", "reattach");
    }

    @Test
    void t2_aNestedScopeReturningInsideATransactionJoinsTheOuterScopeInsteadOfWaitingOnItsOwn() {
        transaction.begin();
        template.execute("Trip.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            template.execute("Hotels.reserve", () -> {
                rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
                return null;
            });
            return null;
        });

        assertThat(transaction.pendingCompletions()).isEqualTo(1);
        transaction.complete(Outcome.ROLLED_BACK);

        assertThat(calls).containsExactly("detach", "cancel hotel", "cancel flight", "reattach");
        assertThat(reports).extracting(ScopeReport::name).containsExactly("Trip.book");
    }

    @Test
    void t2_aScopeAwaitingItsTransactionRefusesNewCommands() {
        transaction.begin();
        AtomicReference<CompensationScope> scope = new AtomicReference<>();
        template.execute("Orders.place", () -> {
            scope.set(Compensations.currentScope());
            return null;
        });

        CompensationScope previous = Compensations.bindScope(scope.get());
        try {
            assertThatIllegalStateException().isThrownBy(() -> rollback.append("late", () -> calls.add("late")))
                    .withMessage("Cannot register rollback command 'late': scope " + scope.get().id()
                            + " Orders.place has already ended; register commands while its method is still running");
        }
        finally {
            Compensations.restoreScope(previous);
        }
        transaction.complete(Outcome.ROLLED_BACK);
        assertThat(calls).isEmpty();
    }

    @Test
    void d3_aDispatchFailingAtTransactionCompletionIsRecordedButNotThrownEvenUnderPropagate() {
        CompensationTemplate propagating = CompensationTemplate.builder().transactionBridge(transaction)
                .dispatchFailurePolicy(DispatchFailurePolicy.PROPAGATE)
                .listeners(List.<ScopeListener>of(reports::add)).build();
        IllegalStateException brokerDown = new IllegalStateException("broker down");
        transaction.begin();
        propagating.execute("Orders.place", () -> {
            dispatch.append("publish OrderPlaced", () -> {
                throw brokerDown;
            });
            dispatch.append("send mail", () -> calls.add("send mail"));
            return null;
        });

        transaction.complete(Outcome.COMMITTED);

        assertThat(calls).containsExactly("detach", "send mail", "reattach");
        assertThat(reports.get(0).commands()).extracting(CommandReport::status, CommandReport::error)
                .containsExactly(tuple(CommandStatus.FAILED, brokerDown), tuple(CommandStatus.DONE, null));
    }

    @Test
    void t2_aTransactionCompletingOnAnotherThreadRunsTheCommandsThereAndLeavesThatThreadClean() throws Exception {
        ExecutorService completer = Executors.newSingleThreadExecutor(task -> new Thread(task, "completer"));
        try {
            transaction.begin();
            template.execute("Orders.place", () -> {
                dispatch.append("publish OrderPlaced", () -> calls.add("publish on "
                        + Thread.currentThread().getName()));
                return null;
            });

            completer.submit(() -> transaction.complete(Outcome.COMMITTED)).get(10, SECONDS);

            assertThat(calls).containsExactly("detach", "publish on completer", "reattach");
            assertThat(completer.submit(Compensations::currentScope).get(10, SECONDS)).isNull();
        }
        finally {
            completer.shutdownNow();
            assertThat(completer.awaitTermination(10, SECONDS)).isTrue();
        }
    }

    private String placeOrder() {
        rollback.append("A", recording("undo A"));
        rollback.appendCleanup("cleanup B", recording("cleanup B"));
        rollback.append("C", recording("undo C"));
        dispatch.append("publish OrderPlaced", recording("publish OrderPlaced"));
        dispatch.append("send mail", recording("send mail"));
        calls.add("method returns");
        return "order 7";
    }

    /** A command that records whether it ran detached from the transaction. */
    private Command recording(String event) {
        return () -> calls.add(event + (transaction.detached ? " (detached)" : " (inside the transaction)"));
    }

    private CompensationTemplate template(UnknownOutcomePolicy policy) {
        return CompensationTemplate.builder().transactionBridge(transaction).unknownOutcomePolicy(policy)
                .listeners(List.<ScopeListener>of(reports::add)).build();
    }

    /** A transaction manager reduced to what the engine asks of it. */
    static final class FakeTransaction implements TransactionBridge {

        private final List<String> calls;
        private final List<Consumer<Outcome>> completions = new ArrayList<>();
        private volatile boolean active;
        volatile boolean detached;

        FakeTransaction(List<String> calls) {
            this.calls = calls;
        }

        void begin() {
            active = true;
        }

        synchronized int pendingCompletions() {
            return completions.size();
        }

        void complete(Outcome outcome) {
            List<Consumer<Outcome>> pending;
            synchronized (this) {
                active = false;
                pending = List.copyOf(completions);
                completions.clear();
            }
            pending.forEach(settle -> settle.accept(outcome));
        }

        @Override
        public synchronized boolean settleOnCompletion(Consumer<Outcome> settle) {
            if (!active) {
                return false;
            }
            completions.add(settle);
            return true;
        }

        @Override
        public void runDetached(Runnable action) {
            calls.add("detach");
            detached = true;
            try {
                action.run();
            }
            finally {
                detached = false;
                calls.add("reattach");
            }
        }
    }
}
