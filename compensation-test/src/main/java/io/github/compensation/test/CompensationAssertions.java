package io.github.compensation.test;

import io.github.compensation.ScopeReport;

/**
 * Entry points of the AssertJ assertions on scopes, for a static import next to AssertJ's own:
 *
 * <pre>{@code
 * import static io.github.compensation.test.CompensationAssertions.assertThat;
 *
 * assertThat(scopes).single().rolledBack()
 *         .ranCompensations("cancel hotel", "cancel flight")
 *         .discardedDispatches("trip booked");
 * }</pre>
 *
 * Every failure message ends with the report block of the scope concerned (clause H1), or with every scope of the view,
 * so that a failing test explains itself.
 */
public final class CompensationAssertions {

    private CompensationAssertions() {
    }

    /**
     * Assertions on the scopes a test sees.
     *
     * @param scopes the view
     * @return the assertions
     */
    public static RecordedScopesAssert assertThat(RecordedScopes scopes) {
        return new RecordedScopesAssert(scopes);
    }

    /**
     * Assertions on one settled scope.
     *
     * @param report its report
     * @return the assertions
     */
    public static ScopeAssert assertThat(ScopeReport report) {
        return new ScopeAssert(report);
    }
}
