package io.github.compensation.sample.report;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.ScopeReport;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the last {@code sample.reports.keep} scope reports in memory, newest first, and apart from them up to
 * {@code sample.reports.keep-attention} reports of scopes that need a person (a failed undo or dispatch, an unknown
 * outcome), so that those stay visible however many scopes succeed around them. The starter hands every settled
 * scope's report to each {@link ScopeListener} bean. (The operator's own view is the {@code compensations} endpoint
 * and its page, which keep scopes needing a person the same way; this listing is the demo's full history.)
 */
@Component
public class RecentReports implements ScopeListener {

    private final int keep;
    private final int keepAttention;
    private final Deque<ScopeReport> reports = new ArrayDeque<>();
    private final Deque<ScopeReport> attention = new ArrayDeque<>();

    RecentReports(@Value("${sample.reports.keep:50}") int keep,
            @Value("${sample.reports.keep-attention:1000}") int keepAttention) {
        if (keep < 1) {
            throw new IllegalArgumentException("sample.reports.keep must be at least 1, was " + keep);
        }
        if (keepAttention < 1) {
            throw new IllegalArgumentException("sample.reports.keep-attention must be at least 1, was "
                    + keepAttention);
        }
        this.keep = keep;
        this.keepAttention = keepAttention;
    }

    @Override
    public synchronized void scopeFinished(ScopeReport report) {
        Deque<ScopeReport> list = report.needsAttention() ? attention : reports;
        list.addFirst(report);
        while (list.size() > (list == attention ? keepAttention : keep)) {
            list.removeLast();
        }
    }

    /** The kept reports, newest first. */
    public synchronized List<ScopeReport> newestFirst() {
        return Stream.concat(reports.stream(), attention.stream())
                .sorted(Comparator.comparing(ScopeReport::startedAt).reversed())
                .toList();
    }

    public synchronized Optional<ScopeReport> byId(String id) {
        return Stream.concat(reports.stream(), attention.stream()).filter(report -> report.id().equals(id))
                .findFirst();
    }

    /** The report of the scope that the very exception {@code cause} ended, if it is still kept. */
    public synchronized Optional<ScopeReport> endedBy(Throwable cause) {
        return Stream.concat(reports.stream(), attention.stream()).filter(report -> report.cause() == cause)
                .findFirst();
    }
}
