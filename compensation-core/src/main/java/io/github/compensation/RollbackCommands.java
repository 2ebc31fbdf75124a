package io.github.compensation;

/**
 * The rollback stack of the scope open on the current thread. After each side effect succeeds, register how to undo
 * it; if the scope rolls back, the compensations run newest first (clause R1), every one of them even when some fail
 * (R4).
 *
 * <p>Instances obtained from {@code Compensations.rollbackCommands()} (or injected by the Spring starter) are
 * stateless singletons that act on the innermost scope of the calling thread that accepts rollback commands. Calling
 * them with no such scope throws {@link IllegalStateException} naming the annotation to add (E1). Arguments must not
 * be {@code null}.
 *
 * <p>Every {@code append...} method returns a {@link RollbackHandle} for that one command: withdraw it, or turn it
 * from a compensation into a cleanup and back, while the scope is open (R11). Ignoring the handle costs nothing: it
 * is the very entry the scope keeps, not an extra object.
 */
public interface RollbackCommands {

    /**
     * Pushes a compensation on top of the stack: it runs first if the scope rolls back.
     *
     * @param description shown in logs and reports, e.g. {@code "cancel flight 42"}
     * @param command     the undo action
     * @return the handle of this command
     */
    RollbackHandle append(String description, Command command);

    /**
     * Pushes a compensation described by where the command was defined.
     *
     * @param command the undo action
     * @return the handle of this command
     */
    default RollbackHandle append(Command command) {
        return append(Descriptions.describe(command), command);
    }

    /**
     * Puts a compensation at the bottom of the stack, so that it runs after all others (R2).
     *
     * @param description shown in logs and reports
     * @param command     the undo action
     * @return the handle of this command
     */
    RollbackHandle appendToBottom(String description, Command command);

    /**
     * Pushes a cleanup: it runs whatever the outcome, in the same newest-first order as compensations and interleaved
     * with them by registration order, like a {@code finally} block (R3).
     *
     * @param description shown in logs and reports
     * @param command     the cleanup action
     * @return the handle of this command
     */
    RollbackHandle appendCleanup(String description, Command command);

    /**
     * Puts a cleanup at the bottom of the stack, under everything registered so far, so that it runs after all other
     * commands whatever the outcome: release a connection once everything that used it is done (R10).
     *
     * @param description shown in logs and reports
     * @param command     the cleanup action
     * @return the handle of this command
     */
    RollbackHandle appendCleanupToBottom(String description, Command command);

    /**
     * Point of no return: discards the compensations registered so far in this scope, including those that nested
     * scopes handed to it; cleanups stay (R7). Discarded compensations appear in the report as discarded.
     */
    void discardAll();
}
