package io.github.compensation.reactor;

import io.github.compensation.Command;
import io.github.compensation.DispatchCommands;
import io.github.compensation.support.DeferredScope;
import java.util.Objects;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The reactive face of {@link DispatchCommands}: each method returns a {@code Mono<Void>} that queues the command,
 * when subscribed, in the scope of the subscription it is part of, found in the Reactor {@code Context} (clause A2).
 * Dispatches run once the subscription completed and its reactive transaction, if any, committed.
 *
 * <pre>{@code
 * return trips.save(trip)
 *         .flatMap(saved -> dispatch.append("trip booked", () -> events.publish(new TripBooked(saved.id())))
 *                 .thenReturn(saved));
 * }</pre>
 *
 * <p>Without a scope in the context the returned {@code Mono} fails with an {@link IllegalStateException} naming the
 * annotation to add (E1); {@code null} arguments fail at once. A stateless singleton, thread-safe.
 */
public final class ReactiveDispatchCommands {

    private static final ReactiveDispatchCommands INSTANCE = new ReactiveDispatchCommands();

    private ReactiveDispatchCommands() {
    }

    /**
     * The singleton; the Spring Boot auto-configuration also offers it as a bean.
     *
     * @return the holder
     */
    public static ReactiveDispatchCommands instance() {
        return INSTANCE;
    }

    /**
     * Queues a dispatch (D1, D2).
     *
     * @param description shown in logs and reports
     * @param action      makes the publisher that dispatches; called only once the scope committed
     * @return completes once queued
     */
    public Mono<Void> append(String description, Supplier<? extends Publisher<?>> action) {
        return register(description, new ReactiveCommand(action));
    }

    /**
     * Queues a dispatch that blocks; it runs on a thread where blocking is allowed.
     *
     * @param description shown in logs and reports
     * @param action      the dispatch
     * @return completes once queued
     */
    public Mono<Void> appendBlocking(String description, Command action) {
        return register(description, action);
    }

    private Mono<Void> register(String description, Command command) {
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(command, "command must not be null");
        return Mono.deferContextual(context -> {
            DeferredScope scope = ScopeContext.find(context);
            if (scope == null) {
                return ScopeContext.missing("dispatch command '" + description + "'", "@DispatchAfterCommit");
            }
            scope.dispatchCommands().append(description, command);
            return Mono.empty();
        });
    }

    @Override
    public String toString() {
        return "ReactiveDispatchCommands[subscription's scope]";
    }
}
