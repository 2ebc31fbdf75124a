package io.github.compensation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import io.github.compensation.support.LoggingScopeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * R9 (a cleanup that fails in a scope that otherwise committed: logged by default, thrown to the caller under
 * {@code cleanup-failure-policy=propagate}) and R12 (the order of undo failures suppressed on the caller's exception).
 */
class CleanupFailureTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    private CompensationTemplate template(CleanupFailurePolicy cleanups, DispatchFailurePolicy dispatches) {
        return CompensationTemplate.builder().listeners(List.<ScopeListener>of(reports::add))
                .cleanupFailurePolicy(cleanups).dispatchFailurePolicy(dispatches).build();
    }

    /** Books a trip that commits: a compensation, a cleanup that fails, another cleanup, then a dispatch. */
    private String book(CompensationTemplate template, RuntimeException cleanupFailure) {
        return template.execute("TripService.book", () -> {
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            rollback.appendCleanup("release lock", () -> {
                calls.add("release lock");
                throw cleanupFailure;
            });
            rollback.appendCleanup("delete temp file", () -> calls.add("delete temp file"));
            dispatch.append("trip booked", () -> calls.add("trip booked"));
            return "trip 7";
        });
    }

    @Test
    void r9_byDefaultACleanupFailingAfterCommitIsLoggedAndReportedWhileTheCallReturnsNormally() {
        CompensationTemplate template = CompensationTemplate.builder()
                .listeners(List.<ScopeListener>of(new LoggingScopeListener(), reports::add)).build();
        try (LogCapture log = LogCapture.of("io.github.compensation.scope");
                LogCapture ignored = LogCapture.of(CompensationTemplate.class.getName())) {
            String trip = book(template, new IllegalStateException("lock server gone"));

            assertThat(trip).isEqualTo("trip 7");
            assertThat(log.records()).anySatisfy(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(record.getMessage()).contains(reports.get(0).id())
                        .contains("cleanup   release lock").contains("FAILED 1/1      IllegalStateException: lock server gone");
            });
        }
        assertThat(calls).containsExactly("delete temp file", "release lock", "trip booked");
        assertThat(reports.get(0).outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(reports.get(0).commands()).extracting(CommandReport::description, CommandReport::status)
                .contains(tuple("release lock", CommandStatus.FAILED));
    }

    @Test
    void r9_underPropagateTheCallerOfACommittedScopeGetsCleanupFailedExceptionAfterEveryCommandRan() {
        IllegalStateException lockFailure = new IllegalStateException("lock server gone");
        CleanupFailedException thrown;
        try (LogCapture ignored = LogCapture.of(CompensationTemplate.class.getName())) {
            thrown = catchThrowableOfType(CleanupFailedException.class,
                    () -> book(template(CleanupFailurePolicy.PROPAGATE, DispatchFailurePolicy.LOG), lockFailure));
        }

        assertThat(calls).as("the other cleanup and the dispatch ran before the caller was told")
                .containsExactly("delete temp file", "release lock", "trip booked");
        assertThat(thrown).hasMessageContaining("committed, but 1 cleanup command(s) failed");
        assertThat(thrown.getSuppressed()).containsExactly(lockFailure);
        assertThat(thrown.report()).as("the very report the listeners saw").isSameAs(reports.get(0));
        assertThat(thrown.report().outcome()).isEqualTo(Outcome.COMMITTED);
    }

    @Test
    void r9_whenCleanupsAndDispatchesFailUnderBothPoliciesTheCleanupFailureIsThrownWithTheDispatchFailureAttached() {
        IllegalStateException lockFailure = new IllegalStateException("lock server gone");
        IllegalStateException brokerFailure = new IllegalStateException("broker down");
        CompensationTemplate template = template(CleanupFailurePolicy.PROPAGATE, DispatchFailurePolicy.PROPAGATE);

        Throwable thrown;
        try (LogCapture ignored = LogCapture.of(CompensationTemplate.class.getName())) {
            thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
                rollback.appendCleanup("release lock", () -> {
                    throw lockFailure;
                });
                dispatch.append("trip booked", () -> {
                    throw brokerFailure;
                });
                return null;
            }));
        }

        assertThat(thrown).isInstanceOf(CleanupFailedException.class);
        assertThat(thrown.getSuppressed()).hasSize(2);
        assertThat(thrown.getSuppressed()[0]).isSameAs(lockFailure);
        assertThat(thrown.getSuppressed()[1]).isInstanceOf(DispatchFailedException.class);
        assertThat(thrown.getSuppressed()[1].getSuppressed()).containsExactly(brokerFailure);
    }

    @Test
    void r9_propagateLeavesARolledBackScopeAloneItsCleanupFailureIsSuppressedOnTheOriginalException() {
        IllegalStateException lockFailure = new IllegalStateException("lock server gone");
        IllegalStateException declined = new IllegalStateException("payment declined");
        CompensationTemplate template = template(CleanupFailurePolicy.PROPAGATE, DispatchFailurePolicy.LOG);

        Throwable thrown;
        try (LogCapture ignored = LogCapture.of(CompensationTemplate.class.getName())) {
            thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
                rollback.appendCleanup("release lock", () -> {
                    throw lockFailure;
                });
                throw declined;
            }));
        }

        assertThat(thrown).isSameAs(declined);
        assertThat(thrown.getSuppressed()).containsExactly(lockFailure);
    }

    @Test
    void r12_undoFailuresAreSuppressedInTheOrderTheyRanSoTheEarliestFailureComesFirst() {
        IllegalStateException flight = new IllegalStateException("flight");
        IllegalStateException lock = new IllegalStateException("lock");
        IllegalStateException hotel = new IllegalStateException("hotel");
        IllegalStateException declined = new IllegalStateException("payment declined");
        CompensationTemplate template = template(CleanupFailurePolicy.LOG, DispatchFailurePolicy.LOG);

        Throwable thrown;
        try (LogCapture ignored = LogCapture.of(CompensationTemplate.class.getName())) {
            thrown = catchThrowable(() -> template.execute("TripService.book", () -> {
                rollback.append("cancel flight", () -> {
                    calls.add("cancel flight");
                    throw flight;
                });
                rollback.appendCleanup("release lock", () -> {
                    calls.add("release lock");
                    throw lock;
                });
                rollback.append("cancel hotel", () -> {
                    calls.add("cancel hotel");
                    throw hotel;
                });
                throw declined;
            }));
        }

        assertThat(calls).containsExactly("cancel hotel", "release lock", "cancel flight");
        assertThat(thrown).isSameAs(declined);
        assertThat(thrown.getSuppressed()).containsExactly(hotel, lock, flight);
    }
}
