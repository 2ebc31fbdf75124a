package io.github.compensation.support;

import io.github.compensation.ScopeReport;
import io.github.compensation.Outcome;
import io.github.compensation.spi.ScopeListener;
import java.lang.System.Logger.Level;

/**
 * Logs settled scopes through {@link System.Logger} (which Spring Boot routes to its logging system), in the category
 * {@code io.github.compensation.scope}: the whole report at ERROR when a command failed or the outcome is unknown, at
 * WARN when the scope rolled back, and at DEBUG otherwise. Every block starts with the scope id. Stateless and
 * thread-safe.
 */
public final class LoggingScopeListener implements ScopeListener {

    private static final System.Logger LOG = System.getLogger("io.github.compensation.scope");

    @Override
    public boolean isInterestedIn(Outcome outcome, boolean needsAttention) {
        return LOG.isLoggable(level(outcome, needsAttention));
    }

    @Override
    public void scopeFinished(ScopeReport report) {
        Level level = report.commands().isEmpty() ? Level.DEBUG : level(report.outcome(), report.needsAttention());
        if (LOG.isLoggable(level)) {
            LOG.log(level, report.render());
        }
    }

    private static Level level(Outcome outcome, boolean needsAttention) {
        if (needsAttention) {
            return Level.ERROR;
        }
        return outcome == Outcome.ROLLED_BACK || outcome == Outcome.CANCELLED ? Level.WARNING : Level.DEBUG;
    }
}
