package io.github.compensation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * R10 (bottom cleanups), R11 (the handle of one rollback command: withdraw it, run it always, keep its effect on
 * success), D6 (withdrawing queued dispatches, one or all) and E2 (a handle refused once its scope ended).
 */
class CommandHandleTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    private Command record(String call) {
        return () -> calls.add(call);
    }

    private void failing(Runnable method) {
        Throwable thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
            method.run();
            throw new IllegalStateException("payment declined");
        }));
        assertThat(thrown).hasMessage("payment declined");
    }

    private void committing(Runnable method) {
        template.execute("TripService.book", () -> {
            method.run();
            return null;
        });
    }

    private List<CommandReport> commands() {
        return reports.get(reports.size() - 1).commands();
    }

    @Test
    void r10_aBottomCleanupRunsAfterEveryOtherCommandWhenTheScopeRollsBack() {
        failing(() -> {
            rollback.append("cancel flight", record("cancel flight"));
            rollback.appendCleanupToBottom("release connection", record("release connection"));
            rollback.appendCleanup("delete temp file", record("delete temp file"));
            rollback.append("cancel hotel", record("cancel hotel"));
        });

        assertThat(calls).containsExactly("cancel hotel", "delete temp file", "cancel flight", "release connection");
        assertThat(commands()).last().extracting(CommandReport::kind).isEqualTo(CommandKind.CLEANUP);
    }

    @Test
    void r10_aBottomCleanupRunsLastAfterTheOtherCleanupsWhenTheScopeCommits() {
        committing(() -> {
            rollback.appendCleanup("delete temp file", record("delete temp file"));
            rollback.appendCleanupToBottom("release connection", record("release connection"));
            rollback.append("cancel flight", record("cancel flight"));
            rollback.appendCleanup("unlock", record("unlock"));
        });

        assertThat(calls).containsExactly("unlock", "delete temp file", "release connection");
    }

    @Test
    void r11_aWithdrawnCompensationDoesNotRunWhenTheScopeFailsAndTheReportSaysWhy() {
        failing(() -> {
            rollback.append("cancel flight", record("cancel flight"));
            RollbackHandle hotel = rollback.append("cancel hotel", record("cancel hotel"));
            rollback.append("cancel car", record("cancel car"));
            hotel.withdraw("hotel keeps the booking on its side");
            assertThat(hotel.isWithdrawn()).isTrue();
        });

        assertThat(calls).containsExactly("cancel car", "cancel flight");
        assertThat(commands()).extracting(CommandReport::description, CommandReport::status, CommandReport::note)
                .containsExactly(tuple("cancel car", CommandStatus.DONE, null),
                        tuple("cancel hotel", CommandStatus.DISCARDED, "withdrawn: hotel keeps the booking on its side"),
                        tuple("cancel flight", CommandStatus.DONE, null));
    }

    @Test
    void r11_withdrawingTwiceIsHarmlessAndAWithdrawnCommandCannotChangeKind() {
        failing(() -> {
            RollbackHandle flight = rollback.append("cancel flight", record("cancel flight"));
            flight.withdraw();
            flight.withdraw("again");
            assertThatThrownBy(flight::runAlways).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'cancel flight'").hasMessageContaining("already withdrawn");
        });

        assertThat(calls).isEmpty();
        assertThat(commands()).extracting(CommandReport::note).containsExactly("withdrawn by the scope's method");
    }

    @Test
    void r11_aCompensationTurnedRunAlwaysRunsOnCommitAsACleanupInItsPlace() {
        committing(() -> {
            rollback.appendCleanup("first cleanup", record("first cleanup"));
            RollbackHandle temp = rollback.append("delete temp copy", record("delete temp copy"));
            rollback.appendCleanup("last cleanup", record("last cleanup"));
            rollback.append("cancel flight", record("cancel flight"));
            temp.runAlways();
            assertThat(temp.kind()).isEqualTo(CommandKind.CLEANUP);
        });

        assertThat(calls).containsExactly("last cleanup", "delete temp copy", "first cleanup");
        assertThat(commands()).extracting(CommandReport::description, CommandReport::kind, CommandReport::status)
                .contains(tuple("delete temp copy", CommandKind.CLEANUP, CommandStatus.DONE),
                        tuple("cancel flight", CommandKind.COMPENSATION, CommandStatus.DISCARDED));
    }

    @Test
    void r11_aCleanupTurnedKeepOnSuccessRunsOnlyWhenTheScopeRollsBack() {
        committing(() -> rollback.appendCleanup("drop draft", record("drop draft committed")).keepOnSuccess());
        failing(() -> rollback.appendCleanup("drop draft", record("drop draft rolled back")).keepOnSuccess());

        assertThat(calls).containsExactly("drop draft rolled back");
        assertThat(reports.get(0).commands()).extracting(CommandReport::kind, CommandReport::status)
                .containsExactly(tuple(CommandKind.COMPENSATION, CommandStatus.DISCARDED));
    }

    @Test
    void r11_theHandleOfACommandFromANestedScopeThatReturnedWorksUntilTheEnclosingScopeEnds() {
        failing(() -> {
            RollbackHandle inner = template.execute("HotelService.reserve",
                    () -> rollback.append("cancel hotel", record("cancel hotel")));
            inner.withdraw("kept");
        });

        assertThat(calls).isEmpty();
    }

    @Test
    void r11_n3_aHandleWorksOnAThreadTheScopeWasCarriedTo() throws Exception {
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        try {
            failing(() -> {
                RollbackHandle flight = rollback.append("cancel flight", record("cancel flight"));
                RollbackHandle hotel = rollback.append("cancel hotel", record("cancel hotel"));
                try {
                    otherThread.submit(Compensations.wrap(() -> {
                        flight.withdraw("decided elsewhere");
                        hotel.runAlways();
                    })).get(10, TimeUnit.SECONDS);
                }
                catch (Exception failure) {
                    throw new AssertionError(failure);
                }
            });
        }
        finally {
            otherThread.shutdownNow();
        }

        assertThat(calls).containsExactly("cancel hotel");
        assertThat(commands()).extracting(CommandReport::kind, CommandReport::note)
                .containsExactly(tuple(CommandKind.CLEANUP, null),
                        tuple(CommandKind.COMPENSATION, "withdrawn: decided elsewhere"));
    }

    @Test
    void r11_aHandleUsedWhileTheScopeRunsItsCommandsIsRefused() {
        AtomicReference<RollbackHandle> flight = new AtomicReference<>();
        try (LogCapture ignored = LogCapture.of(CompensationTemplate.class.getName())) {
            failing(() -> {
                flight.set(rollback.append("cancel flight", record("cancel flight")));
                rollback.append("withdraw flight", () -> flight.get().withdraw());
            });
        }

        assertThat(calls).containsExactly("cancel flight");
        assertThat(commands().get(0).error()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is running its commands");
    }

    @Test
    void r11_aCompensationDiscardedAtThePointOfNoReturnCannotBeMadeACleanup() {
        committing(() -> {
            RollbackHandle flight = rollback.append("cancel flight", record("cancel flight"));
            rollback.discardAll();
            flight.withdraw();
            assertThatThrownBy(flight::runAlways).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("discarded at the point of no return");
        });

        assertThat(calls).isEmpty();
    }

    @Test
    void d6_aWithdrawnDispatchDoesNotRunWhenTheScopeCommitsAndTheOthersDo() {
        committing(() -> {
            dispatch.append("send receipt", record("send receipt"));
            CommandHandle booked = dispatch.append("trip booked", record("trip booked"));
            dispatch.append("notify agent", record("notify agent"));
            booked.withdraw("trip is only provisional");
        });

        assertThat(calls).containsExactly("send receipt", "notify agent");
        assertThat(commands()).extracting(CommandReport::description, CommandReport::status, CommandReport::note)
                .containsExactly(tuple("send receipt", CommandStatus.DONE, null),
                        tuple("trip booked", CommandStatus.DISCARDED, "withdrawn: trip is only provisional"),
                        tuple("notify agent", CommandStatus.DONE, null));
    }

    @Test
    void d6_discardAllWithdrawsEveryDispatchQueuedSoFarNestedOnesIncludedAndLaterOnesCount() {
        committing(() -> {
            dispatch.append("trip booked", record("trip booked"));
            template.execute("HotelService.reserve", () -> dispatch.append("hotel reserved", record("hotel reserved")));
            dispatch.discardAll();
            dispatch.append("trip provisional", record("trip provisional"));
        });

        assertThat(calls).containsExactly("trip provisional");
        assertThat(commands()).extracting(CommandReport::description, CommandReport::note)
                .containsExactly(tuple("trip booked", "withdrawn by dispatch.discardAll()"),
                        tuple("hotel reserved", "withdrawn by dispatch.discardAll()"),
                        tuple("trip provisional", null));
    }

    @Test
    void e2_d6_aDispatchHandleUsedAfterItsScopeEndedIsRefusedAndTheDispatchHadRun() {
        CommandHandle booked = template.execute("TripService.book",
                () -> dispatch.append("trip booked", record("trip booked")));

        assertThatThrownBy(booked::withdraw).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot withdraw command 'trip booked'")
                .hasMessageContaining("has already ended")
                .hasMessageContaining("only while the scope's method runs");
        assertThat(calls).containsExactly("trip booked");
        assertThat(commands()).extracting(CommandReport::status).containsExactly(CommandStatus.DONE);
    }

    @Test
    void e2_r11_aRollbackHandleUsedAfterItsScopeEndedIsRefused() {
        RollbackHandle flight = template.execute("TripService.book",
                () -> rollback.append("cancel flight", record("cancel flight")));

        assertThatThrownBy(flight::runAlways).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has already ended");
        assertThatThrownBy(flight::keepOnSuccess).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> flight.withdraw("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void e2_dispatchDiscardAllAfterTheScopeEndedIsRefused() {
        AtomicReference<Runnable> late = new AtomicReference<>();
        committing(() -> late.set(Compensations.wrap(dispatch::discardAll)));

        assertThatThrownBy(() -> late.get().run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot discard the dispatches");
    }
}
