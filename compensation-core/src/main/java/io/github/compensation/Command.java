package io.github.compensation;

/**
 * One registered action: an undo step, a cleanup, or something to dispatch after commit.
 *
 * <p>Commands run on the thread that settles their scope, never concurrently with each other. A command may throw
 * any exception; how that is handled depends on its kind (see {@link RollbackCommands} and {@link DispatchCommands}).
 */
@FunctionalInterface
public interface Command {

    /**
     * Performs the action.
     *
     * @throws Exception when the action fails; it is recorded in the scope's report and never hides the exception
     *                   that failed the scope
     */
    void run() throws Exception;
}
