package io.github.compensation.spring.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.spi.ScopeListener;
import io.github.compensation.CommandReport;
import io.github.compensation.ScopeReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ScopeListener} bean that keeps every report, so that tests can check outcomes and command statuses.
 */
public class RecordingScopeListener implements ScopeListener {

    private final List<ScopeReport> reports = new CopyOnWriteArrayList<>();

    @Override
    public void scopeFinished(ScopeReport report) {
        reports.add(report);
    }

    public List<ScopeReport> reports() {
        return List.copyOf(reports);
    }

    public void clear() {
        reports.clear();
    }

    /**
     * The report of the one scope with this name, failing when there is none or more than one.
     *
     * @param name {@code Class.method}
     * @return the report
     */
    public ScopeReport only(String name) {
        List<ScopeReport> named = reports.stream().filter(report -> report.name().equals(name)).toList();
        assertThat(named).as("reports of scope %s among %s", name, reports).hasSize(1);
        return named.get(0);
    }

    /**
     * The report of a command, by description.
     *
     * @param report      a scope report
     * @param description as registered
     * @return the command's report
     */
    public static CommandReport command(ScopeReport report, String description) {
        List<CommandReport> matching = report.commands().stream()
                .filter(command -> command.description().equals(description)).toList();
        assertThat(matching).as("commands '%s' in %s", description, report.render()).hasSize(1);
        return matching.get(0);
    }
}
