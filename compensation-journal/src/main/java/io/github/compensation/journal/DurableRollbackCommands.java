package io.github.compensation.journal;

import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackHandle;
import java.util.function.Consumer;

/**
 * {@link RollbackCommands} whose compensations survive a crash (clauses J1, J2). With the journal on, the injected
 * {@code RollbackCommands} bean is one of these; inject this type to use the durable forms:
 *
 * <pre>{@code
 * var flight = flights.reserve(request);
 * rollback.append(FlightClient.class).cancel(flight.id());      // recorded call of a bean method
 * rollback.appendHandler("cancel-hotel", new CancelHotel(hotel.id())); // named @CommandHandler + payload
 * }</pre>
 *
 * <p>Both forms are written to the journal (on a connection of their own) before the call returns: arguments that
 * cannot be written as JSON with their declared types, or a target that does not exist, fail right there, in the
 * caller (J6). Lambdas registered through the inherited {@code append} and {@code appendToBottom} methods still work,
 * but are journaled as not recoverable: if the instance dies before they run, recovery parks them for a person.
 * Cleanups ({@code appendCleanup}, {@code appendCleanupToBottom}) stay in memory only.
 *
 * <p>Handles (R11): the lambda and handler forms return a {@link RollbackHandle}, and
 * {@link #append(Class, Consumer)} gives one for a recorded call. Withdrawing a durable compensation also marks its
 * journal row {@code DISCARDED}, with the reason, before the call returns, so that recovery never runs it, even after a
 * crash before commit. Turning one into a cleanup ({@code runAlways()}) changes only the in-memory command: its row
 * stays a compensation, so a crash before commit still has it run by recovery, while a crash after commit loses it,
 * like every cleanup. A cleanup turned into a compensation ({@code keepOnSuccess()}) is not journaled.
 */
public interface DurableRollbackCommands extends RollbackCommands {

    /**
     * Records the next call made on the returned stand-in as a compensation on top of the stack. The target is the
     * single bean of that type; the method must be public and not final.
     *
     * @param type the bean's type, e.g. {@code FlightClient.class}
     * @param <T>  the type
     * @return a stand-in: call exactly one method on it, its return value is a dummy
     */
    <T> T append(Class<T> type);

    /**
     * Like {@link #append(Class)}, but puts the compensation at the bottom of the stack, so that it runs after all
     * others, also when recovery runs it after a crash (R2).
     *
     * @param type the bean's type
     * @param <T>  the type
     * @return a stand-in: call exactly one method on it
     */
    <T> T appendToBottom(Class<T> type);

    /**
     * Like {@link #append(Class)}, for code that wants the command's handle: {@code call} is given the stand-in and must
     * call exactly one method on it, e.g. {@code rollback.append(FlightClient.class, flights -> flights.cancel(id))}.
     *
     * @param type the bean's type
     * @param call makes the one call to record
     * @param <T>  the type
     * @return the handle of the recorded compensation
     */
    <T> RollbackHandle append(Class<T> type, Consumer<? super T> call);

    /**
     * Like {@link #append(Class)} for the bean with that name.
     *
     * @param beanName the bean's name
     * @param type     its type
     * @param <T>      the type
     * @return a stand-in: call exactly one method on it
     */
    <T> T append(String beanName, Class<T> type);

    /**
     * Pushes a compensation that calls the named {@link CommandHandler} with the payload, written as JSON with the
     * type the handler declares. Named apart from {@link #append(String, io.github.compensation.Command)}, which
     * registers a lambda under a description, so that a payload is never mistaken for a lambda or the other way round.
     *
     * @param handler the handler's name
     * @param payload the payload
     * @return the handle of this compensation
     */
    RollbackHandle appendHandler(String handler, Object payload);
}
