package io.github.compensation.support;

import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.RetrySpec;
import io.github.compensation.ScopeDefinition;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.github.compensation.Outcome;
import org.junit.jupiter.api.Test;

class ScopeReportLayoutTest {

    static class PaymentDeclined extends RuntimeException {
        PaymentDeclined(String message) {
            super(message);
        }
    }

    @Test
    void h1RenderedBlockHasTheColumnsOfTheDesignExample() {
        ScopeReport report = new ScopeReport("7f3a2c", "TripService.book", Instant.EPOCH, Duration.ofMillis(182),
                Outcome.ROLLED_BACK, new PaymentDeclined("card declined"), List.of(
                        new CommandReport(CommandKind.COMPENSATION, "cancel hotel", CommandStatus.DONE, 1, 3,
                                Duration.ofMillis(12), null, null),
                        new CommandReport(CommandKind.COMPENSATION, "cancel flight", CommandStatus.FAILED, 3, 3,
                                Duration.ofMillis(40), new ConnectException("flights:443 refused"), null),
                        CommandReport.notRun(CommandKind.DISPATCH, "trip booked", CommandStatus.DISCARDED,
                                "not committed: rolled back")));

        assertThat(report.render()).isEqualTo("""
                compensation scope 7f3a2c TripService.book rolled back after 182 ms: PaymentDeclined: card declined
                  rollback  cancel hotel    done            12 ms
                  rollback  cancel flight   FAILED 3/3      ConnectException: flights:443 refused
                  dispatch  trip booked     discarded (not committed: rolled back)""");
    }

    @Test
    void h1TemplateReportsAttemptsOutOfTheAllowedRetriesOfEachCommand() {
        List<ScopeReport> reports = new ArrayList<>();
        CompensationTemplate template = CompensationTemplate.builder().listener(reports::add)
                .defaultRetry(RetrySpec.of(3, Duration.ZERO)).build();
        int[] calls = new int[1];

        assertThatThrownBy(() -> template.execute(ScopeDefinition.named("TripService.book"), () -> {
            Compensations.rollbackCommands().append("cancel flight", () -> {
                throw new ConnectException("flights:443 refused");
            });
            Compensations.rollbackCommands().append("cancel hotel", () -> {
                if (++calls[0] < 2) {
                    throw new IllegalStateException("busy");
                }
            });
            throw new PaymentDeclined("card declined");
        })).isInstanceOf(PaymentDeclined.class);

        String[] lines = reports.get(0).render().split("\n");
        assertThat(lines[1]).matches("  rollback  cancel hotel    done 2/3        \\d+ ms");
        assertThat(lines[2]).isEqualTo("  rollback  cancel flight   FAILED 3/3      ConnectException: flights:443 refused");
    }
}
