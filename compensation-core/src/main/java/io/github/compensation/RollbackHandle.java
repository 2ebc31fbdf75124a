package io.github.compensation;

/**
 * The handle of a command on the rollback stack (a compensation or a cleanup): besides withdrawing it, it can change
 * when the command runs, keeping its place on the stack (clause R11).
 *
 * <p>Same rules as {@link CommandHandle}: only while the scope is open, on its thread or a thread it was carried to;
 * afterwards, and on a withdrawn command, every method throws {@link IllegalStateException}.
 */
public interface RollbackHandle extends CommandHandle {

    /**
     * Makes the command a cleanup: it runs whatever the outcome, like a {@code finally} block. Does nothing when it
     * already is one.
     *
     * @throws IllegalStateException when the scope has ended, is running its commands, or the command was withdrawn
     */
    void runAlways();

    /**
     * Makes the command a compensation: it runs only when the scope rolls back, so the effect it undoes is kept when
     * the scope succeeds. Does nothing when it already is one.
     *
     * @throws IllegalStateException when the scope has ended, is running its commands, or the command was withdrawn
     */
    void keepOnSuccess();
}
