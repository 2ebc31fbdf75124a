package io.github.compensation;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.support.LoggingScopeListener;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** R8 (every command's result is recorded) and H1 (the immutable scope report, its listeners and its text). */
class ReportTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    @Test
    void h1_aRolledBackScopeReportsItsIdNameStartDurationOutcomeCauseAndEveryCommand() {
        AtomicReference<CompensationScope> scope = new AtomicReference<>();
        PaymentDeclined declined = new PaymentDeclined("card declined");
        ConnectException refused = new ConnectException("flights:443 refused");
        Instant before = Instant.now();
        long startNanos = System.nanoTime();

        catchThrowable(() -> template.execute("TripService.book", () -> {
            scope.set(Compensations.currentScope());
            rollback.append("cancel flight", () -> {
                throw refused;
            });
            rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
            dispatch.append("trip booked", () -> calls.add("trip booked"));
            throw declined;
        }));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        Instant after = Instant.now();

        assertThat(reports).hasSize(1);
        ScopeReport report = reports.get(0);
        assertThat(report.id()).isEqualTo(scope.get().id()).hasSize(36);
        assertThat(report.name()).isEqualTo("TripService.book").isEqualTo(scope.get().name());
        assertThat(report.startedAt()).isBetween(before, after);
        assertThat(report.duration()).isPositive().isLessThanOrEqualTo(elapsed);
        assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(report.cause()).isSameAs(declined);
        assertThat(report.commands())
                .extracting(CommandReport::kind, CommandReport::description, CommandReport::status,
                        CommandReport::attempts, CommandReport::error, CommandReport::note)
                .containsExactly(
                        tuple(CommandKind.COMPENSATION, "cancel hotel", CommandStatus.DONE, 1, null, null),
                        tuple(CommandKind.COMPENSATION, "cancel flight", CommandStatus.FAILED, 1, refused, null),
                        tuple(CommandKind.DISPATCH, "trip booked", CommandStatus.DISCARDED, 0, null,
                                "not committed: rolled back"));
        assertThat(report.failedCount()).isEqualTo(1);
        assertThat(report.needsAttention()).isTrue();
        assertThat(calls).containsExactly("cancel hotel");
    }

    @Test
    void r8_aCommandThatRanRecordsHowLongItTook() {
        template.execute("Files.convert", () -> {
            rollback.appendCleanup("slow cleanup", () -> spinFor(Duration.ofMillis(3)));
            return null;
        });

        CommandReport cleanup = reports.get(0).commands().get(0);
        assertThat(cleanup.status()).isEqualTo(CommandStatus.DONE);
        assertThat(cleanup.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(3));
        assertThat(reports.get(0).duration()).isGreaterThanOrEqualTo(cleanup.duration());
    }

    @Test
    void r8_aCommandThatDidNotRunIsRecordedWithNoAttemptsNoDurationAndWhy() {
        template.execute("Orders.place", () -> {
            rollback.append("cancel reservation", () -> calls.add("cancel reservation"));
            return null;
        });

        assertThat(reports.get(0).commands()).singleElement().satisfies(command -> {
            assertThat(command.status()).isEqualTo(CommandStatus.DISCARDED);
            assertThat(command.attempts()).isZero();
            assertThat(command.duration()).isZero();
            assertThat(command.error()).isNull();
            assertThat(command.note()).isEqualTo("not needed: committed");
        });
        assertThat(reports.get(0).needsAttention()).isFalse();
    }

    @Test
    void r8_aCommandRegisteredWithoutDescriptionIsDescribedByWhereItWasDefined() {
        template.execute("Orders.place", () -> {
            rollback.append(() -> calls.add("undo"));
            dispatch.append(new NamedCommand());
            return null;
        });

        assertThat(reports.get(0).commands()).extracting(CommandReport::description)
                .containsExactly("lambda in ReportTest", "ReportTest$NamedCommand");
    }

    @Test
    void h1_aCommittedScopeReportsNoCause() {
        template.execute("Orders.place", () -> {
            dispatch.append("publish OrderPlaced", () -> calls.add("publish"));
            return null;
        });

        ScopeReport report = reports.get(0);
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(report.cause()).isNull();
        assertThat(report.commands()).extracting(CommandReport::status).containsExactly(CommandStatus.DONE);
    }

    @Test
    void h1_theReportIsImmutable() {
        List<CommandReport> commands = new ArrayList<>(List.of(
                CommandReport.notRun(CommandKind.DISPATCH, "publish", CommandStatus.DISCARDED, "not committed")));
        ScopeReport report = new ScopeReport("id", "Orders.place", Instant.EPOCH, Duration.ZERO,
                Outcome.ROLLED_BACK, null, commands);
        commands.clear();

        assertThat(report.commands()).hasSize(1);
        assertThatThrownBy(() -> report.commands().clear()).isInstanceOf(UnsupportedOperationException.class);

        template.execute("Orders.place", () -> {
            rollback.appendCleanup("close", () -> calls.add("close"));
            return null;
        });
        List<CommandReport> engineCommands = reports.get(0).commands();
        assertThatThrownBy(() -> engineCommands.add(engineCommands.get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void h1_everyListenerReceivesEachReportOnceAndAFailingListenerChangesNothingForTheCaller() {
        List<ScopeReport> first = new ArrayList<>();
        List<ScopeReport> third = new ArrayList<>();
        CompensationTemplate withListeners = CompensationTemplate.builder().listeners(List.of(
                first::add,
                report -> {
                    throw new IllegalStateException("listener broken");
                },
                third::add)).build();

        String result;
        try (LogCapture log = LogCapture.of(CompensationTemplate.class.getName())) {
            result = withListeners.execute("Orders.place", () -> "placed");
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getThrown()).hasMessage("listener broken");
                assertThat(record.getMessage()).contains(first.get(0).id());
            });
        }

        assertThat(result).isEqualTo("placed");
        assertThat(first).hasSize(1);
        assertThat(third).containsExactlyElementsOf(first);
    }

    @Test
    void h1_aRolledBackScopeRendersAsOneReadableBlock() {
        ScopeReport report = new ScopeReport("7f3a2c", "TripService.book", Instant.EPOCH, Duration.ofMillis(182),
                Outcome.ROLLED_BACK, new PaymentDeclined("card declined"), List.of(
                        new CommandReport(CommandKind.COMPENSATION, "cancel hotel", CommandStatus.DONE, 1,
                                Duration.ofMillis(12), null, null),
                        new CommandReport(CommandKind.COMPENSATION, "cancel flight", CommandStatus.FAILED, 3,
                                Duration.ofMillis(40), new ConnectException("flights:443 refused"), null),
                        CommandReport.notRun(CommandKind.DISPATCH, "trip booked", CommandStatus.DISCARDED,
                                "not committed: rolled back")));

        assertThat(report.render()).isEqualTo(String.join("\n",
                "compensation scope 7f3a2c TripService.book rolled back after 182 ms: PaymentDeclined: card declined",
                "  rollback  cancel hotel    done            12 ms",
                "  rollback  cancel flight   FAILED 3/3      ConnectException: flights:443 refused",
                "  dispatch  trip booked     discarded (not committed: rolled back)"));
    }

    @Test
    void h1_everyOutcomeAndStatusHasItsOwnWording() {
        ScopeReport report = new ScopeReport("a1", "Sync.run", Instant.EPOCH, Duration.ofMillis(5),
                Outcome.UNKNOWN, null, List.of(
                        new CommandReport(CommandKind.CLEANUP, "close", CommandStatus.DONE, 2, Duration.ofMillis(1),
                                null, null),
                        CommandReport.notRun(CommandKind.COMPENSATION, "undo", CommandStatus.PENDING, "check")));

        assertThat(report.render()).isEqualTo(String.join("\n",
                "compensation scope a1 Sync.run ended with an unknown outcome after 5 ms",
                "  cleanup   close   done 2/2        1 ms",
                "  rollback  undo    PENDING (check)"));
        assertThat(withOutcome(report, Outcome.COMMITTED).render())
                .startsWith("compensation scope a1 Sync.run committed after 5 ms\n");
        assertThat(withOutcome(report, Outcome.FAILED_NO_ROLLBACK).render())
                .startsWith("compensation scope a1 Sync.run failed without rollback after 5 ms\n");
    }

    @Test
    void h1_theEngineRendersARolledBackScopeInTheSameLayout() {
        catchThrowable(() -> template.execute("TripService.book", () -> {
            rollback.append("cancel flight", () -> {
                throw new ConnectException("flights:443 refused");
            });
            rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
            dispatch.append("trip booked", () -> calls.add("trip booked"));
            throw new PaymentDeclined("card declined");
        }));

        ScopeReport report = reports.get(0);
        assertThat(report.render().replaceAll("\\d+ ms", "N ms")).isEqualTo(String.join("\n",
                "compensation scope " + report.id()
                        + " TripService.book rolled back after N ms: PaymentDeclined: card declined",
                "  rollback  cancel hotel    done            N ms",
                "  rollback  cancel flight   FAILED 1/1      ConnectException: flights:443 refused",
                "  dispatch  trip booked     discarded (not committed: rolled back)"));
    }

    @Test
    void h1_theDefaultLoggingListenerLogsARolledBackScopeAtWarningAndAFailedCommandAtError() {
        CompensationTemplate logging = CompensationTemplate.builder()
                .listeners(List.<ScopeListener>of(new LoggingScopeListener(), reports::add)).build();

        try (LogCapture log = LogCapture.of("io.github.compensation.scope")) {
            catchThrowable(() -> logging.execute("TripService.book", () -> {
                rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
                throw new PaymentDeclined("card declined");
            }));
            catchThrowable(() -> logging.execute("TripService.book", () -> {
                rollback.append("cancel hotel", () -> {
                    throw new ConnectException("hotels:443 refused");
                });
                throw new PaymentDeclined("card declined");
            }));
            logging.execute("TripService.book", () -> null);

            assertThat(log.records()).extracting(LogRecord::getLevel, LogRecord::getMessage).containsExactly(
                    tuple(Level.WARNING, reports.get(0).render()),
                    tuple(Level.SEVERE, reports.get(1).render()),
                    tuple(Level.FINE, reports.get(2).render()));
        }
    }

    @Test
    void h1_aScopeThatFailedBeforeRegisteringAnyCommandIsLoggedAtDebugNotWarning() {
        CompensationTemplate logging = CompensationTemplate.builder()
                .listeners(List.<ScopeListener>of(new LoggingScopeListener(), reports::add)).build();

        try (LogCapture log = LogCapture.of("io.github.compensation.scope")) {
            catchThrowable(() -> logging.execute("TripService.book", () -> {
                throw new IllegalArgumentException("destination missing");
            }));

            assertThat(reports).singleElement().satisfies(report -> {
                assertThat(report.outcome()).isEqualTo(Outcome.ROLLED_BACK);
                assertThat(report.commands()).isEmpty();
            });
            assertThat(log.records()).extracting(LogRecord::getLevel).containsExactly(Level.FINE);
        }
    }

    private static ScopeReport withOutcome(ScopeReport report, Outcome outcome) {
        return new ScopeReport(report.id(), report.name(), report.startedAt(), report.duration(), outcome,
                report.cause(), report.commands());
    }

    private static void spinFor(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static final class PaymentDeclined extends RuntimeException {
        PaymentDeclined(String message) {
            super(message);
        }
    }

    static final class NamedCommand implements Command {
        @Override
        public void run() {
        }
    }
}
