package io.github.compensation;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R4: every command runs, the caller sees the original exception, compensation failures are suppressed in it. */
class FailureIsolationTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder()
            .listeners(List.<ScopeListener>of(reports::add)).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();

    @Test
    void r4_everyCompensationRunsEvenWhenEarlierOnesThrow() {
        catchThrowable(() -> template.execute("TripService.book", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.append("B", () -> {
                calls.add("undo B");
                throw new IllegalStateException("B refused");
            });
            rollback.append("C", () -> {
                calls.add("undo C");
                throw new java.io.IOException("C unreachable");
            });
            rollback.append("D", () -> calls.add("undo D"));
            throw new IllegalStateException("payment declined");
        }));

        assertThat(calls).containsExactly("undo D", "undo C", "undo B", "undo A");
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .containsExactly(tuple("D", CommandStatus.DONE), tuple("C", CommandStatus.FAILED),
                        tuple("B", CommandStatus.FAILED), tuple("A", CommandStatus.DONE));
    }

    @Test
    void r4_callerSeesTheOriginalExceptionInstanceWithCompensationFailuresSuppressed() {
        IllegalArgumentException rootCause = new IllegalArgumentException("card expired");
        PaymentDeclined declined = new PaymentDeclined("card declined", rootCause);
        IllegalStateException hotelFailure = new IllegalStateException("hotel refused");
        java.net.ConnectException flightFailure = new java.net.ConnectException("flights:443 refused");

        Throwable thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
            rollback.append("cancel flight", () -> {
                throw flightFailure;
            });
            rollback.append("cancel car", () -> calls.add("cancel car"));
            rollback.append("cancel hotel", () -> {
                throw hotelFailure;
            });
            throw declined;
        }));

        assertThat(thrown).isSameAs(declined).isExactlyInstanceOf(PaymentDeclined.class).hasMessage("card declined");
        assertThat(thrown.getCause()).isSameAs(rootCause);
        assertThat(thrown.getSuppressed()).containsExactly(hotelFailure, flightFailure);
        assertThat(calls).containsExactly("cancel car");
    }

    @Test
    void r4_aCheckedExceptionReachesTheCallerUnchangedThroughTheDeclaredThrowsClause() {
        IllegalStateException undoFailure = new IllegalStateException("undo failed");
        java.io.IOException diskFull = new java.io.IOException("disk full");

        try {
            template.<String, java.io.IOException>execute("Files.write", () -> {
                rollback.append("delete partial file", () -> {
                    throw undoFailure;
                });
                throw diskFull;
            });
            throw new AssertionError("the IOException should have reached the caller");
        }
        catch (java.io.IOException caught) {
            assertThat(caught).isSameAs(diskFull).isExactlyInstanceOf(java.io.IOException.class);
            assertThat(caught.getSuppressed()).containsExactly(undoFailure);
        }
    }

    @Test
    void r4_anErrorFromTheMethodIsRethrownAsItIsAfterTheCommandsRan() {
        SimulatedError error = new SimulatedError("out of resources");

        Throwable thrown = catchThrowable(() -> template.execute("Batch.run", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.appendCleanup("B", () -> calls.add("cleanup B"));
            calls.add("method throws Error");
            throw error;
        }));
        calls.add("caller catches");

        assertThat(thrown).isSameAs(error).isExactlyInstanceOf(SimulatedError.class);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(calls).containsExactly("method throws Error", "cleanup B", "undo A", "caller catches");
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(reports.get(0).cause()).isSameAs(error);
    }

    @Test
    void r4_aCompensationThrowingAnErrorDoesNotStopTheOthersAndIsSuppressedInTheOriginal() {
        IllegalStateException failure = new IllegalStateException("payment declined");
        SimulatedError compensationError = new SimulatedError("stack exhausted in undo");

        Throwable thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.append("B", () -> {
                calls.add("undo B");
                throw compensationError;
            });
            rollback.append("C", () -> calls.add("undo C"));
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(compensationError);
        assertThat(calls).containsExactly("undo C", "undo B", "undo A");
    }

    @Test
    void r4_aCompensationRethrowingTheOriginalExceptionDoesNotSuppressItIntoItself() {
        IllegalStateException failure = new IllegalStateException("payment declined");

        Throwable thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
            rollback.append("A", () -> calls.add("undo A"));
            rollback.append("rethrowing undo", () -> {
                throw failure;
            });
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(calls).containsExactly("undo A");
        assertThat(reports.get(0).commands().get(0).error()).isSameAs(failure);
    }

    @Test
    void r4_aFailingCleanupOfARolledBackScopeIsSuppressedInTheOriginalToo() {
        IllegalStateException failure = new IllegalStateException("conversion failed");
        IllegalStateException cleanupFailure = new IllegalStateException("cannot delete temp file");

        Throwable thrown = catchThrowable(() -> template.execute("Files.convert", () -> {
            rollback.appendCleanup("delete temp file", () -> {
                throw cleanupFailure;
            });
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(cleanupFailure);
    }

    @Test
    void r4_aFailingCleanupOfAScopeThatFailedWithoutRollbackIsSuppressedInTheOriginal() {
        ScopeDefinition definition = ScopeDefinition.named("Files.convert")
                .withRules(new RollbackRules(List.of(), List.of(IllegalArgumentException.class)));
        IllegalArgumentException failure = new IllegalArgumentException("bad input");
        IllegalStateException cleanupFailure = new IllegalStateException("cannot delete temp file");

        Throwable thrown = catchThrowable(() -> template.execute(definition, () -> {
            rollback.appendCleanup("delete temp file", () -> {
                throw cleanupFailure;
            });
            rollback.appendCleanup("close stream", () -> calls.add("close stream"));
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(cleanupFailure);
        assertThat(calls).containsExactly("close stream");
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.FAILED_NO_ROLLBACK);
    }

    @Test
    void r4_theThreadHasNoScopeLeftAfterTheFailure() {
        catchThrowable(() -> template.execute("TripService.book", () -> {
            rollback.append("A", () -> {
                throw new IllegalStateException("undo failed");
            });
            throw new SimulatedError("boom");
        }));

        assertThat(Compensations.currentScope()).isNull();
    }

    static final class PaymentDeclined extends RuntimeException {
        PaymentDeclined(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class SimulatedError extends Error {
        SimulatedError(String message) {
            super(message);
        }
    }
}
