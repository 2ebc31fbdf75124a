package io.github.compensation.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.ScopeReport;
import io.github.compensation.spi.ScopeListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every scope report, so that tests can read the last one. */
class Reports implements ScopeListener {

    private final List<ScopeReport> reports = new CopyOnWriteArrayList<>();

    @Override
    public void scopeFinished(ScopeReport report) {
        reports.add(report);
    }

    ScopeReport last() {
        assertThat(reports).as("scope reports").isNotEmpty();
        return reports.get(reports.size() - 1);
    }
}
