package io.github.compensation;

/**
 * One command registered in a scope, as returned by the {@code append...} methods of the holders: lets the method
 * that registered it take it back while the scope is still open (clauses R11, D6).
 *
 * <p>A withdrawn command never runs. It stays in the scope's report, as {@link CommandStatus#DISCARDED}, with a note
 * that says it was withdrawn and why. Withdrawing a command that will not run anyway (withdrawn before, discarded at
 * the point of no return, dropped by a nested scope that failed) does nothing.
 *
 * <p>Use a handle while its scope is open: on the thread that registered the command, or on a thread the scope was
 * carried to (N3). Once the scope has ended, or while it runs its commands, every method that changes the command
 * throws {@link IllegalStateException} saying so (E2). A command registered in a nested scope that returned stays
 * usable through its handle until the enclosing scope ends. Arguments must not be {@code null}.
 */
public interface CommandHandle {

    /**
     * The command's description, as registered.
     *
     * @return the description
     */
    String description();

    /**
     * What the command is now: a rollback handle may have turned a compensation into a cleanup, or back.
     *
     * @return the kind
     */
    CommandKind kind();

    /**
     * Whether the command was withdrawn, or discarded before its scope settled.
     *
     * @return {@code true} once it will not run
     */
    boolean isWithdrawn();

    /**
     * Withdraws the command: it will not run, whatever the outcome. The report notes
     * {@code "withdrawn by the scope's method"}.
     *
     * @throws IllegalStateException when the scope has ended or is running its commands
     */
    void withdraw();

    /**
     * Withdraws the command with a reason that the report shows as {@code "withdrawn: <reason>"}.
     *
     * @param reason why, e.g. {@code "trip is only provisional"}
     * @throws IllegalStateException when the scope has ended or is running its commands
     */
    void withdraw(String reason);
}
