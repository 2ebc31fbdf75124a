package io.github.compensation;

/**
 * The dispatch queue of the scope open on the current thread: actions that must happen only once the work is durable
 * (publish an event, send a mail, call a webhook). They run oldest first (D2), only when the scope's outcome is
 * {@link Outcome#COMMITTED} (D1); on any other outcome they are dropped (D5).
 *
 * <p>Instances obtained from {@code Compensations.dispatchCommands()} (or injected by the Spring starter) are
 * stateless singletons that act on the innermost scope of the calling thread that accepts dispatch commands. Calling
 * them with no such scope throws {@link IllegalStateException} naming the annotation to add (E1). Arguments must not
 * be {@code null}.
 *
 * <p>{@code append} returns a {@link CommandHandle} that withdraws that one dispatch while the scope is open;
 * {@link #discardAll()} withdraws every dispatch queued so far (D6).
 */
public interface DispatchCommands {

    /**
     * Queues an action to run after commit.
     *
     * @param description shown in logs and reports, e.g. {@code "publish TripBooked 42"}
     * @param command     the action
     * @return the handle of this command
     */
    CommandHandle append(String description, Command command);

    /**
     * Queues an action described by where the command was defined.
     *
     * @param command the action
     * @return the handle of this command
     */
    default CommandHandle append(Command command) {
        return append(Descriptions.describe(command), command);
    }

    /**
     * Withdraws every dispatch queued so far in this scope, including those that nested scopes handed to it: none of
     * them runs, and the report shows them as discarded, withdrawn by {@code discardAll()}. Dispatches queued
     * afterwards count again (D6).
     *
     * @throws IllegalStateException when the scope has ended or is running its commands
     */
    void discardAll();
}
