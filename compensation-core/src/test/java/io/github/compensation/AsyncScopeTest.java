package io.github.compensation;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A1: a scope whose work returns a {@code CompletionStage} settles when the stage completes, not when it returns. */
class AsyncScopeTest {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<ScopeReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();
    private final ExecutorService partners = Executors.newFixedThreadPool(2, task -> new Thread(task, "partner"));

    @AfterEach
    void stopPartners() throws InterruptedException {
        partners.shutdownNow();
        assertThat(partners.awaitTermination(10, SECONDS)).isTrue();
    }

    @Test
    void a1_stageFailingOnAnotherThreadAfterTheMethodReturnedIsCompensatedBeforeJoinSeesTheSameException()
            throws Exception {
        CountDownLatch returned = new CountDownLatch(1);
        IllegalStateException declined = new IllegalStateException("card declined");
        IllegalStateException undoFailure = new IllegalStateException("flights unreachable");

        CompletableFuture<String> booking = template.executeAsync(ScopeDefinition.named("Trips.book"), () -> {
            rollback.append("cancel flight", () -> {
                calls.add("cancel flight on " + Thread.currentThread().getName());
                throw undoFailure;
            });
            return CompletableFuture.supplyAsync(Compensations.wrapSupplier(() -> {
                rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
                dispatch.append("trip booked", () -> calls.add("trip booked"));
                await(returned);
                throw declined;
            }), partners);
        });

        assertThat(Compensations.currentScope()).as("the caller's thread after the method returned").isNull();
        assertThat(calls).as("nothing settles when the method returns").isEmpty();
        returned.countDown();

        Throwable seen;
        List<String> atJoin;
        try (LogCapture log = LogCapture.of(CompensationTemplate.class.getName())) {
            seen = catchThrowable(booking::join);
            atJoin = List.copyOf(calls);
        }
        assertThat(seen).isInstanceOf(CompletionException.class).cause().isSameAs(declined);
        assertThat(declined.getSuppressed()).containsExactly(undoFailure);
        assertThat(atJoin).containsExactly("cancel hotel", "cancel flight on partner");
        ScopeReport report = reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(report.cause()).isSameAs(declined);
        assertThat(report.commands()).extracting(CommandReport::description, CommandReport::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cancel hotel", CommandStatus.DONE),
                org.assertj.core.groups.Tuple.tuple("cancel flight", CommandStatus.FAILED),
                org.assertj.core.groups.Tuple.tuple("trip booked", CommandStatus.DISCARDED));
    }

    @Test
    void a1_succeedingStageDispatchesOnlyOnceItCompletedAndBeforeTheCallerSeesTheValue() throws Exception {
        CompletableFuture<String> partner = new CompletableFuture<>();

        CompletableFuture<String> booking = template.executeAsync(ScopeDefinition.named("Trips.book"), () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            dispatch.append("trip booked", () -> calls.add("trip booked"));
            return partner.thenApply(confirmation -> "trip " + confirmation);
        });

        assertThat(calls).as("dispatches wait for the stage, not for the method").isEmpty();
        assertThat(reports).isEmpty();
        partners.execute(() -> partner.complete("F-1"));

        assertThat(booking.thenApply(value -> value + " seen after " + calls).get(10, SECONDS))
                .isEqualTo("trip F-1 seen after [trip booked]");
        assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.COMMITTED);
    }

    @Test
    void a1_callbackThrowingInsteadOfReturningAStageSettlesAtOnceAndRethrows() {
        IllegalStateException refused = new IllegalStateException("refused");

        assertThatThrownBy(() -> template.<String, RuntimeException>executeAsync(ScopeDefinition.named("Trips.book"),
                () -> {
                    rollback.append("cancel flight", () -> calls.add("cancel flight"));
                    throw refused;
                })).isSameAs(refused);
        assertThat(calls).containsExactly("cancel flight");
        assertThat(Compensations.currentScope()).isNull();
    }

    @Test
    void a1_n1_asyncScopeCompletingWhileItsEnclosingScopeIsOpenJoinsIt() {
        IllegalStateException later = new IllegalStateException("payment failed");

        assertThatThrownBy(() -> template.execute("Trips.book", () -> {
            CompletableFuture<String> flight = template.executeAsync(ScopeDefinition.named("Flights.reserve"), () -> {
                rollback.append("cancel flight", () -> calls.add("cancel flight"));
                return CompletableFuture.supplyAsync(() -> "F-1", partners);
            });
            assertThat(flight.join()).isEqualTo("F-1");
            assertThat(calls).as("joined, not settled").isEmpty();
            throw later;
        })).isSameAs(later);

        assertThat(calls).containsExactly("cancel flight");
        assertThat(reports).singleElement().extracting(ScopeReport::name).isEqualTo("Trips.book");
    }

    @Test
    void a1_n1_asyncScopeCompletingAfterItsEnclosingScopeEndedSettlesOnItsOwn() throws Exception {
        CompletableFuture<String> partner = new CompletableFuture<>();
        List<CompletableFuture<String>> handedOut = new ArrayList<>();

        template.execute("Trips.book", () -> {
            handedOut.add(template.executeAsync(ScopeDefinition.named("Flights.reserve"), () -> {
                dispatch.append("flight reserved", () -> calls.add("flight reserved"));
                return partner;
            }));
            return null;
        });
        partner.complete("F-1");

        assertThat(handedOut.get(0).get(10, SECONDS)).isEqualTo("F-1");
        assertThat(calls).containsExactly("flight reserved");
        assertThat(reports).extracting(ScopeReport::name).containsExactly("Trips.book", "Flights.reserve");
    }

    @Test
    void a1_t2_stageThatSucceedsWaitsForTheCallersTransactionAndRollsBackWithIt() throws Exception {
        FakeTransaction transaction = new FakeTransaction();
        CompensationTemplate transactional = CompensationTemplate.builder().transactionBridge(transaction)
                .listeners(List.<ScopeListener>of(reports::add)).build();
        CompletableFuture<String> partner = new CompletableFuture<>();

        CompletableFuture<String> booking = transactional.executeAsync(ScopeDefinition.named("Trips.book"), () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            dispatch.append("trip booked", () -> calls.add("trip booked"));
            return partner;
        });
        partner.complete("F-1");

        assertThat(booking.get(10, SECONDS)).as("the caller's stage does not wait for the transaction")
                .isEqualTo("F-1");
        assertThat(calls).isEmpty();
        transaction.complete(Outcome.ROLLED_BACK);
        assertThat(calls).containsExactly("cancel flight");
        assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.ROLLED_BACK);
    }

    @Test
    void a1_t2_transactionRolledBackWhileTheStageRanRollsTheScopeBackOnceTheStageCompleted() throws Exception {
        FakeTransaction transaction = new FakeTransaction();
        CompensationTemplate transactional = CompensationTemplate.builder().transactionBridge(transaction)
                .listeners(List.<ScopeListener>of(reports::add)).build();
        CompletableFuture<String> partner = new CompletableFuture<>();
        CountDownLatch rolledBack = new CountDownLatch(1);

        CompletableFuture<String> booking = transactional.executeAsync(ScopeDefinition.named("Trips.book"),
                () -> {
                    Supplier<String> reserveHotel = Compensations.wrapSupplier(() -> {
                        await(rolledBack);
                        rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
                        return "H-1";
                    });
                    return partner.thenApplyAsync(ignored -> reserveHotel.get(), partners);
                });
        transaction.complete(Outcome.ROLLED_BACK);
        rolledBack.countDown();
        partner.complete("ignored");

        assertThat(booking.get(10, SECONDS)).isEqualTo("H-1");
        assertThat(calls).as("registered after the rollback, still compensated").containsExactly("cancel hotel");
        assertThat(reports).singleElement().extracting(ScopeReport::outcome).isEqualTo(Outcome.ROLLED_BACK);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, SECONDS)).isTrue();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** One transaction that is always active, completed by the test. */
    private static final class FakeTransaction implements TransactionBridge {

        private final List<Consumer<Outcome>> waiting = new ArrayList<>();

        @Override
        public synchronized boolean settleOnCompletion(Consumer<Outcome> settle) {
            waiting.add(settle);
            return true;
        }

        @Override
        public void runDetached(Runnable action) {
            action.run();
        }

        void complete(Outcome outcome) {
            List<Consumer<Outcome>> settle;
            synchronized (this) {
                settle = List.copyOf(waiting);
                waiting.clear();
            }
            settle.forEach(consumer -> consumer.accept(outcome));
        }
    }
}
