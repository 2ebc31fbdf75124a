package io.github.compensation.sample.report;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.ScopeReport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the last {@code sample.reports.keep} scope reports in memory, newest first. The starter hands every settled
 * scope's report to each {@link ScopeListener} bean.
 */
@Component
public class RecentReports implements ScopeListener {

    private final int keep;
    private final Deque<ScopeReport> reports = new ArrayDeque<>();

    RecentReports(@Value("${sample.reports.keep:50}") int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("sample.reports.keep must be at least 1, was " + keep);
        }
        this.keep = keep;
    }

    @Override
    public synchronized void scopeFinished(ScopeReport report) {
        reports.addFirst(report);
        while (reports.size() > keep) {
            reports.removeLast();
        }
    }

    /** The kept reports, newest first. */
    public synchronized List<ScopeReport> newestFirst() {
        return List.copyOf(reports);
    }

    public synchronized Optional<ScopeReport> byId(String id) {
        return reports.stream().filter(report -> report.id().equals(id)).findFirst();
    }

    /** The report of the scope that the very exception {@code cause} ended, if it is still kept. */
    public synchronized Optional<ScopeReport> endedBy(Throwable cause) {
        return reports.stream().filter(report -> report.cause() == cause).findFirst();
    }
}
