package io.github.compensation.reactor;

import io.github.compensation.Command;
import io.github.compensation.RollbackCommands;
import io.github.compensation.support.DeferredScope;
import java.util.Objects;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The reactive face of {@link RollbackCommands}: each method returns a {@code Mono<Void>} that registers the command,
 * when subscribed, in the scope of the subscription it is part of, found in the Reactor {@code Context} (clause A2).
 * Chain it after the side effect it undoes:
 *
 * <pre>{@code
 * return flights.reserve(request)
 *         .flatMap(flight -> rollback.append("cancel flight " + flight.id(), () -> flights.cancel(flight.id()))
 *                 .thenReturn(flight));
 * }</pre>
 *
 * <p>Undo actions are publishers made when the scope rolls back, and waited for; undo steps that block are written
 * with {@link #appendBlocking}. Without a scope in the context the returned {@code Mono} fails with an
 * {@link IllegalStateException} naming the annotation to add (E1); {@code null} arguments fail at once. A stateless
 * singleton, thread-safe.
 */
public final class ReactiveRollbackCommands {

    private static final ReactiveRollbackCommands INSTANCE = new ReactiveRollbackCommands();

    private ReactiveRollbackCommands() {
    }

    /**
     * The singleton; the Spring Boot auto-configuration also offers it as a bean.
     *
     * @return the holder
     */
    public static ReactiveRollbackCommands instance() {
        return INSTANCE;
    }

    /**
     * Pushes a compensation on top of the stack (R1).
     *
     * @param description shown in logs and reports
     * @param undo        makes the publisher that undoes the side effect; called only if the scope rolls back
     * @return completes once registered
     */
    public Mono<Void> append(String description, Supplier<? extends Publisher<?>> undo) {
        return register(description, new ReactiveCommand(undo), RollbackCommands::append);
    }

    /**
     * Pushes a compensation that blocks, such as a JDBC or a blocking HTTP call; it runs on a thread where blocking is
     * allowed.
     *
     * @param description shown in logs and reports
     * @param undo        the undo action
     * @return completes once registered
     */
    public Mono<Void> appendBlocking(String description, Command undo) {
        return register(description, undo, RollbackCommands::append);
    }

    /**
     * Puts a compensation at the bottom of the stack, so that it runs after all others (R2).
     *
     * @param description shown in logs and reports
     * @param undo        makes the publisher that undoes the side effect
     * @return completes once registered
     */
    public Mono<Void> appendToBottom(String description, Supplier<? extends Publisher<?>> undo) {
        return register(description, new ReactiveCommand(undo), RollbackCommands::appendToBottom);
    }

    /**
     * Pushes a cleanup, which runs whatever the outcome (R3).
     *
     * @param description shown in logs and reports
     * @param cleanup     makes the publisher that cleans up
     * @return completes once registered
     */
    public Mono<Void> appendCleanup(String description, Supplier<? extends Publisher<?>> cleanup) {
        return register(description, new ReactiveCommand(cleanup), RollbackCommands::appendCleanup);
    }

    /**
     * Point of no return: discards the compensations registered so far in the subscription's scope (R7).
     *
     * @return completes once discarded
     */
    public Mono<Void> discardAll() {
        return Mono.deferContextual(context -> {
            DeferredScope scope = ScopeContext.find(context);
            if (scope == null) {
                return ScopeContext.missing("discardAll()", "@RollbackOnceFailed");
            }
            scope.rollbackCommands().discardAll();
            return Mono.empty();
        });
    }

    private Mono<Void> register(String description, Command command,
            Registration registration) {
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(command, "command must not be null");
        return Mono.deferContextual(context -> {
            DeferredScope scope = ScopeContext.find(context);
            if (scope == null) {
                return ScopeContext.missing("rollback command '" + description + "'", "@RollbackOnceFailed");
            }
            registration.register(scope.rollbackCommands(), description, command);
            return Mono.empty();
        });
    }

    @FunctionalInterface
    private interface Registration {
        void register(RollbackCommands holder, String description, Command command);
    }

    @Override
    public String toString() {
        return "ReactiveRollbackCommands[subscription's scope]";
    }
}
