package io.github.compensation;

/**
 * Thrown to the caller of a committed scope when cleanup commands failed and the {@link CleanupFailurePolicy#PROPAGATE}
 * policy is in force (clause R9). Each cleanup failure is attached as a suppressed exception, in the order the
 * cleanups ran; the work itself committed and is not undone.
 *
 * <p>A sibling of {@link DispatchFailedException}, not a reuse of it: a caller that catches a failed dispatch to
 * publish again must not mistake a failed cleanup for one. When dispatches failed as well and
 * {@link DispatchFailurePolicy#PROPAGATE} is in force too, this exception is thrown (cleanups ran first) with the
 * {@code DispatchFailedException} attached as its last suppressed exception.
 */
public class CleanupFailedException extends RuntimeException {

    private final transient ScopeReport report;

    /**
     * Creates the exception for a scope report.
     *
     * @param report the committed scope's report
     */
    public CleanupFailedException(ScopeReport report) {
        super("Scope " + report.id() + " " + report.name() + " committed, but " + failedCleanups(report)
                + " cleanup command(s) failed");
        this.report = report;
    }

    private static long failedCleanups(ScopeReport report) {
        return report.commands().stream()
                .filter(command -> command.kind() == CommandKind.CLEANUP && command.status() == CommandStatus.FAILED)
                .count();
    }

    /**
     * The report of the committed scope.
     *
     * @return the report
     */
    public ScopeReport report() {
        return report;
    }
}
