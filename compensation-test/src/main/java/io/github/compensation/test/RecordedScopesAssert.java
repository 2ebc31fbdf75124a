package io.github.compensation.test;

import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the scopes a test sees ({@link RecordedScopes}). Obtain through
 * {@link CompensationAssertions#assertThat(RecordedScopes)}. Each assertion reads the scopes once, when it runs; to
 * wait for scopes that settle later, call {@link RecordedScopes#awaitSettled} first. Not thread-safe, like every AssertJ
 * assertion object.
 */
public final class RecordedScopesAssert extends AbstractAssert<RecordedScopesAssert, RecordedScopes> {

    RecordedScopesAssert(RecordedScopes actual) {
        super(actual, RecordedScopesAssert.class);
    }

    /**
     * Checks that the view holds exactly one scope, settled, and continues with assertions on it.
     *
     * @return assertions on that scope
     */
    public ScopeAssert single() {
        isNotNull();
        List<RecordedScope> scopes = actual.list();
        if (scopes.size() != 1) {
            failWithMessage("Expected exactly one scope but found %d.%n%s", scopes.size(), actual.describe());
        }
        return settled(scopes.get(0));
    }

    /**
     * Checks that the view holds at least {@code index + 1} scopes and continues with assertions on the one at
     * {@code index}, in opening order, which must have settled.
     *
     * @param index zero-based, in the order the scopes opened
     * @return assertions on that scope
     */
    public ScopeAssert scope(int index) {
        isNotNull();
        List<RecordedScope> scopes = actual.list();
        if (index < 0 || index >= scopes.size()) {
            failWithMessage("Expected a scope at index %d but found %d scope(s).%n%s", index, scopes.size(),
                    actual.describe());
        }
        return settled(scopes.get(index));
    }

    /**
     * Continues with assertions on the scope that opened last, which must have settled.
     *
     * @return assertions on that scope
     */
    public ScopeAssert last() {
        isNotNull();
        List<RecordedScope> scopes = actual.list();
        if (scopes.isEmpty()) {
            failWithMessage("Expected at least one scope but found none.%n%s", actual.describe());
        }
        return settled(scopes.get(scopes.size() - 1));
    }

    /**
     * Checks how many scopes the view holds.
     *
     * @param expected the count
     * @return this
     */
    public RecordedScopesAssert hasSize(int expected) {
        isNotNull();
        int size = actual.list().size();
        if (size != expected) {
            failWithMessage("Expected %d scope(s) but found %d.%n%s", expected, size, actual.describe());
        }
        return this;
    }

    /**
     * Checks that the view holds no scope.
     *
     * @return this
     */
    public RecordedScopesAssert isEmpty() {
        return hasSize(0);
    }

    /**
     * Checks that every scope of the view settled with the given outcome (and that there is at least one).
     *
     * @param outcome the outcome
     * @return this
     */
    public RecordedScopesAssert allHaveOutcome(Outcome outcome) {
        isNotNull();
        List<RecordedScope> scopes = actual.list();
        if (scopes.isEmpty()) {
            failWithMessage("Expected scopes that all ended %s but found none.%n%s", outcome, actual.describe());
        }
        for (RecordedScope scope : scopes) {
            ScopeReport report = scope.report();
            if (report == null || report.outcome() != outcome) {
                failWithMessage("Expected every scope to end %s but scope %s %s did not.%n%s", outcome, scope.id(),
                        scope.name(), actual.describe());
            }
        }
        return this;
    }

    /**
     * Narrows the assertions to scopes with the given name.
     *
     * @param name a scope name, typically {@code Class.method}
     * @return assertions on the narrower view
     */
    public RecordedScopesAssert named(String name) {
        isNotNull();
        return new RecordedScopesAssert(actual.named(name));
    }

    private ScopeAssert settled(RecordedScope scope) {
        ScopeReport report = scope.report();
        if (report == null) {
            failWithMessage("Expected scope %s %s to have settled but it is %s; wait for it with"
                    + " scopes.awaitSettled(timeout).%n%s", scope.id(), scope.name(), scope.state(),
                    actual.describe());
        }
        return new ScopeAssert(report, scope.crashedAfterCommit());
    }
}
