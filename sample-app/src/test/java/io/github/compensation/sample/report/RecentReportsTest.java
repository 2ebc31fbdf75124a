package io.github.compensation.sample.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /reports} keeps a scope that needs a person however many scopes succeed after it (O1). */
class RecentReportsTest {

    private static int sequence;

    private static ScopeReport report(CommandStatus status) {
        sequence++;
        return new ScopeReport("scope-" + sequence, "TripService.book", Instant.EPOCH.plusSeconds(sequence),
                Duration.ofMillis(5), Outcome.ROLLED_BACK, null, List.of(new CommandReport(CommandKind.COMPENSATION,
                        "cancel flight", status, 1, Duration.ZERO, null, null)));
    }

    @Test
    void aFailedCancellationStaysListedAfterManyScopesThatNeedNobody() {
        RecentReports reports = new RecentReports(50, 1000);
        ScopeReport failed = report(CommandStatus.FAILED);
        reports.scopeFinished(failed);
        for (int i = 0; i < 500; i++) {
            reports.scopeFinished(report(CommandStatus.DONE));
        }

        assertThat(reports.newestFirst()).hasSize(51).contains(failed);
        assertThat(reports.byId(failed.id())).contains(failed);
        assertThat(reports.newestFirst().get(0).id()).isEqualTo("scope-" + sequence);
    }
}
