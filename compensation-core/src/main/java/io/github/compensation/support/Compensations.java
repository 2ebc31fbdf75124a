package io.github.compensation.support;

import io.github.compensation.Command;
import io.github.compensation.CommandHandle;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackHandle;
import io.github.compensation.support.Scope.Entry;
import io.github.compensation.CommandKind;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import io.github.compensation.spi.CompensationScope;
import org.jspecify.annotations.Nullable;

/**
 * Static access to the holders of the current thread's scope, and the explicit way to carry a scope to another
 * thread (clause N3). All methods are thread-safe.
 */
public final class Compensations {

    private static final RollbackCommands ROLLBACK = new ThreadBoundRollbackCommands();
    private static final DispatchCommands DISPATCH = new ThreadBoundDispatchCommands();

    private Compensations() {
    }

    /**
     * The rollback stack of whichever scope is open on the calling thread at the time of each call.
     *
     * @return a stateless singleton
     */
    public static RollbackCommands rollbackCommands() {
        return ROLLBACK;
    }

    /**
     * The dispatch queue of whichever scope is open on the calling thread at the time of each call.
     *
     * @return a stateless singleton
     */
    public static DispatchCommands dispatchCommands() {
        return DISPATCH;
    }

    /**
     * The innermost scope bound to the calling thread, to read its id or attributes. Has no side effect; to carry the
     * scope to another thread, use {@link #captureScope()} or {@link #wrap(Runnable)} instead.
     *
     * @return the scope, or {@code null} when none is open
     */
    public static @Nullable CompensationScope currentScope() {
        return ScopeHolder.current();
    }

    /**
     * The innermost scope bound to the calling thread, made ready to be bound on other threads with
     * {@link #bindScope(CompensationScope)}: from now on every registration in it takes the scope's lock, so that
     * registrations from several threads keep one order (clause A3). Call it on the thread that owns the scope, before
     * handing the scope over.
     *
     * @return the scope, or {@code null} when none is open
     */
    public static @Nullable CompensationScope captureScope() {
        Scope scope = ScopeHolder.current();
        if (scope != null) {
            scope.share();
        }
        return scope;
    }

    /**
     * The scope that a command of the given kind registered now on the calling thread goes to: the innermost open
     * scope accepting that kind, as {@link #rollbackCommands()} and {@link #dispatchCommands()} choose it. For
     * integrations that keep state per command, such as a journal.
     *
     * @param kind the kind of command
     * @return the scope, or {@code null} when registering would fail for want of one
     */
    public static @Nullable CompensationScope receivingScope(CommandKind kind) {
        Objects.requireNonNull(kind, "kind must not be null");
        return findScope(kind != CommandKind.DISPATCH);
    }

    private static @Nullable Scope findScope(boolean rollback) {
        return findScope(ScopeHolder.current(), rollback);
    }

    private static @Nullable Scope findScope(@Nullable Scope innermost, boolean rollback) {
        for (Scope scope = innermost; scope != null; scope = scope.enclosing()) {
            // A scope running its commands takes every registration made meanwhile, to refuse or discard it (E2),
            // even a kind it does not accept: otherwise the registration would leak into an enclosing open scope.
            if (scope.isSettling() || (rollback ? scope.definition().rollback() : scope.definition().dispatch())) {
                return scope;
            }
        }
        return null;
    }

    /**
     * Binds a scope to the calling thread, one captured with {@link #captureScope()} on another thread. Always pair
     * it with {@link #restoreScope(CompensationScope)} in a {@code finally} block.
     *
     * @param scope the scope to bind, or {@code null} to unbind
     * @return the scope bound before, to hand to {@link #restoreScope(CompensationScope)}
     * @throws IllegalArgumentException when the scope was not made by this engine
     */
    public static @Nullable CompensationScope bindScope(@Nullable CompensationScope scope) {
        Scope engineScope = engineScope(scope);
        if (engineScope != null) {
            engineScope.share();
        }
        return ScopeHolder.bind(engineScope);
    }

    /**
     * Restores what {@link #bindScope(CompensationScope)} returned; {@code null} leaves the thread clean.
     *
     * @param previous the scope bound before
     */
    public static void restoreScope(@Nullable CompensationScope previous) {
        ScopeHolder.restore(engineScope(previous));
    }

    private static @Nullable Scope engineScope(@Nullable CompensationScope scope) {
        if (scope == null || scope instanceof Scope) {
            return (Scope) scope;
        }
        throw new IllegalArgumentException("Only scopes opened by the compensation engine can be bound, not "
                + scope.getClass().getName());
    }

    /**
     * Captures the calling thread's scope so that the returned task, wherever it runs, registers its commands in that
     * scope. Commands registered after the scope ended are refused with {@link IllegalStateException}.
     *
     * @param task the work to carry
     * @return the task bound to the captured scope, or {@code task} itself when no scope is open
     */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task must not be null");
        Scope captured = (Scope) captureScope();
        if (captured == null) {
            return task;
        }
        return () -> ScopeHolder.runIn(captured, task);
    }

    /**
     * Like {@link #wrap(Runnable)}, for a task that returns a value.
     *
     * @param task the work to carry
     * @param <T>  what the task returns
     * @return the task bound to the captured scope, or {@code task} itself when no scope is open
     */
    public static <T extends @Nullable Object> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task must not be null");
        Scope captured = (Scope) captureScope();
        if (captured == null) {
            return task;
        }
        return () -> ScopeHolder.callIn(captured, task::call);
    }

    /**
     * Like {@link #wrap(Runnable)}, for a {@link Supplier}: the shape {@code CompletableFuture.supplyAsync} takes, as
     * in {@code CompletableFuture.supplyAsync(Compensations.wrapSupplier(() -> flights.reserve(request)), executor)}
     * inside a method that returns the future (clause A1). Named apart from {@code wrap} because a lambda fits both a
     * {@code Callable} and a {@code Supplier}.
     *
     * @param task the work to carry
     * @param <T>  what the task returns
     * @return the task bound to the captured scope, or {@code task} itself when no scope is open
     */
    public static <T extends @Nullable Object> Supplier<T> wrapSupplier(Supplier<T> task) {
        Objects.requireNonNull(task, "task must not be null");
        Scope captured = (Scope) captureScope();
        if (captured == null) {
            return task;
        }
        return () -> ScopeHolder.callIn(captured, task::get);
    }

    static Scope requireScope(boolean rollback, String what) {
        Scope found = findScope(rollback);
        if (found != null) {
            return found;
        }
        String annotation = rollback ? "@RollbackOnceFailed" : "@DispatchAfterCommit";
        throw new IllegalStateException("No compensation scope accepting " + what + " is open on thread '"
                + Thread.currentThread().getName() + "': annotate the calling method with " + annotation
                + " (on a Spring bean, called through its proxy unless compensation.mode=aspectj), or run the code"
                + " through CompensationTemplate.execute(...). Scopes stay on their thread: work handed to another"
                + " thread registers in the caller's scope only when the scope is carried explicitly"
                + " (Compensations.wrap(...), or compensation.async.propagate-scope=true in Spring Boot)");
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }

    /**
     * Registers a command in the innermost scope that takes its kind, after checking the arguments (E1); the entry is
     * the command's handle.
     */
    static Entry register(CommandKind kind, String description, Command command, boolean atBottom) {
        return register(null, kind, description, command, atBottom);
    }

    /** As above, in {@code innermost} or the innermost scope around it that accepts the kind; the thread's if null. */
    private static Entry register(@Nullable Scope innermost, CommandKind kind, String description, Command command,
            boolean atBottom) {
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(command, "command must not be null");
        if (kind == CommandKind.DISPATCH) {
            Scope scope = innermost == null ? requireScope(false, "dispatch commands")
                    : requireScope(innermost, false, "dispatch commands");
            Entry entry = new Entry(scope, kind, description, command);
            scope.queueDispatch(entry);
            return entry;
        }
        Scope scope = innermost == null ? requireScope(true, "rollback commands")
                : requireScope(innermost, true, "rollback commands");
        Entry entry = new Entry(scope, kind, description, command);
        scope.pushRollback(entry, atBottom);
        return entry;
    }

    /** The rollback stack of a given scope, or of the innermost scope around it that accepts rollback commands. */
    static RollbackCommands rollbackCommands(Scope scope) {
        return new ScopeBoundRollbackCommands(scope);
    }

    /** The dispatch queue of a given scope, or of the innermost scope around it that accepts dispatch commands. */
    static DispatchCommands dispatchCommands(Scope scope) {
        return new ScopeBoundDispatchCommands(scope);
    }

    private static Scope requireScope(Scope innermost, boolean rollback, String what) {
        Scope found = findScope(innermost, rollback);
        if (found != null) {
            return found;
        }
        String annotation = rollback ? "@RollbackOnceFailed" : "@DispatchAfterCommit";
        throw new IllegalStateException("Scope " + innermost.id() + " " + innermost.name() + " accepts no " + what
                + ", nor does any scope around it: annotate the method with " + annotation);
    }

    private record ScopeBoundRollbackCommands(Scope scope) implements RollbackCommands {

        @Override
        public RollbackHandle append(String description, Command command) {
            return register(scope, CommandKind.COMPENSATION, description, command, false);
        }

        @Override
        public RollbackHandle appendToBottom(String description, Command command) {
            return register(scope, CommandKind.COMPENSATION, description, command, true);
        }

        @Override
        public RollbackHandle appendCleanup(String description, Command command) {
            return register(scope, CommandKind.CLEANUP, description, command, false);
        }

        @Override
        public RollbackHandle appendCleanupToBottom(String description, Command command) {
            return register(scope, CommandKind.CLEANUP, description, command, true);
        }

        @Override
        public void discardAll() {
            requireScope(scope, true, "rollback commands").discardCompensations();
        }
    }

    private record ScopeBoundDispatchCommands(Scope scope) implements DispatchCommands {

        @Override
        public CommandHandle append(String description, Command command) {
            return register(scope, CommandKind.DISPATCH, description, command, false);
        }

        @Override
        public void discardAll() {
            requireScope(scope, false, "dispatch commands").discardDispatches();
        }
    }

    private static final class ThreadBoundRollbackCommands implements RollbackCommands {

        @Override
        public RollbackHandle append(String description, Command command) {
            return register(CommandKind.COMPENSATION, description, command, false);
        }

        @Override
        public RollbackHandle appendToBottom(String description, Command command) {
            return register(CommandKind.COMPENSATION, description, command, true);
        }

        @Override
        public RollbackHandle appendCleanup(String description, Command command) {
            return register(CommandKind.CLEANUP, description, command, false);
        }

        @Override
        public RollbackHandle appendCleanupToBottom(String description, Command command) {
            return register(CommandKind.CLEANUP, description, command, true);
        }

        @Override
        public void discardAll() {
            requireScope(true, "rollback commands").discardCompensations();
        }

        @Override
        public String toString() {
            return "RollbackCommands[current thread's scope]";
        }
    }

    private static final class ThreadBoundDispatchCommands implements DispatchCommands {

        @Override
        public CommandHandle append(String description, Command command) {
            return register(CommandKind.DISPATCH, description, command, false);
        }

        @Override
        public void discardAll() {
            requireScope(false, "dispatch commands").discardDispatches();
        }

        @Override
        public String toString() {
            return "DispatchCommands[current thread's scope]";
        }
    }
}
