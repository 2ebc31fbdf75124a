package io.github.compensation;


/**
 * Thrown to the caller of a committed scope when dispatch commands failed and the
 * {@link DispatchFailurePolicy#PROPAGATE} policy is in force. Each failure is attached as a suppressed exception; the
 * work itself committed and is not undone.
 */
public class DispatchFailedException extends RuntimeException {

    private final transient ScopeReport report;

    /**
     * Creates the exception for a scope report.
     *
     * @param report the committed scope's report
     */
    public DispatchFailedException(ScopeReport report) {
        super("Scope " + report.id() + " " + report.name() + " committed, but " + failedDispatches(report)
                + " dispatch command(s) failed");
        this.report = report;
    }

    private static long failedDispatches(ScopeReport report) {
        return report.commands().stream()
                .filter(command -> command.kind() == CommandKind.DISPATCH && command.status() == CommandStatus.FAILED)
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
