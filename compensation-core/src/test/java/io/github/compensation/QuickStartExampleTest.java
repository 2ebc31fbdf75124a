package io.github.compensation;

import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quick example, run through the programmatic API. */
class QuickStartExampleTest {

    private final List<String> calls = new ArrayList<>();
    private final List<ScopeReport> reports = new ArrayList<>();
    private final CompensationTemplate template = CompensationTemplate.builder().listener(reports::add).build();
    private final RollbackCommands rollback = Compensations.rollbackCommands();
    private final DispatchCommands dispatch = Compensations.dispatchCommands();

    private String book(boolean paymentDeclined) {
        return template.execute("TripService.book", () -> {
            calls.add("reserve flight");
            rollback.append("cancel flight", () -> calls.add("cancel flight"));
            calls.add("reserve hotel");
            rollback.append("cancel hotel", () -> calls.add("cancel hotel"));
            if (paymentDeclined) {
                throw new IllegalStateException("card declined");
            }
            dispatch.append("trip booked", () -> calls.add("publish TripBooked"));
            return "trip";
        });
    }

    @Test
    void successfulBookingDispatchesTheEventAndUndoesNothing() {
        assertThat(book(false)).isEqualTo("trip");
        assertThat(calls).containsExactly("reserve flight", "reserve hotel", "publish TripBooked");
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED));
    }

    @Test
    void failedBookingUndoesNewestFirstAndDropsTheEvent() {
        assertThatThrownBy(() -> book(true)).isInstanceOf(IllegalStateException.class).hasMessage("card declined");
        assertThat(calls).containsExactly("reserve flight", "reserve hotel", "cancel hotel", "cancel flight");
        assertThat(reports.get(0).render()).contains("TripService.book rolled back", "cancel hotel", "done");
        assertThat(Compensations.currentScope()).isNull();
    }
}
