package io.github.compensation.reactor;

import io.github.compensation.Outcome;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.DeferredScope;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Runs a {@code Mono} or a {@code Flux} in a compensation scope, one scope per subscription (clause A2): the reactive
 * counterpart of {@link CompensationTemplate#execute}, used by the advice for annotated methods that return reactive
 * types, and directly by code without annotations.
 *
 * <p>The scope opens when the publisher is subscribed and travels in the subscriber's Reactor {@code Context}, where
 * {@link ReactiveRollbackCommands} and {@link ReactiveDispatchCommands} find it; no thread-local is involved. A scope
 * subscribed inside another subscription's scope nests in it (N1). How it settles:
 * <ul>
 *   <li>an error signal runs the compensations (by the scope's rollback rules) before the error, the very instance
 *       with undo failures suppressed on it, reaches the subscriber;</li>
 *   <li>completion runs the dispatches before the completion reaches the subscriber; inside a reactive transaction
 *       (Spring's {@code ReactiveTransactionManager}, R2DBC for example) the scope waits for that transaction instead:
 *       dispatches after it committed, compensations if it rolled back;</li>
 *   <li>a cancellation settles by the {@link CancellationPolicy} (compensate by default).</li>
 * </ul>
 * Commands run where they may block: on the thread that brought the signal, or on Reactor's bounded-elastic scheduler
 * when that thread is one Reactor marks non-blocking (its parallel scheduler, the event loops of Netty-based clients
 * and drivers). Immutable and thread-safe.
 */
public final class ReactiveScopes {

    private static final boolean REACTIVE_TRANSACTIONS = ClassUtils.isPresent(
            "org.springframework.transaction.reactive.TransactionSynchronizationManager",
            ReactiveScopes.class.getClassLoader());

    private final CompensationTemplate template;
    private final CancellationPolicy cancellation;
    private final Scheduler scheduler;

    /**
     * Creates scopes that compensate on cancellation.
     *
     * @param template runs the scopes' commands
     */
    public ReactiveScopes(CompensationTemplate template) {
        this(template, CancellationPolicy.COMPENSATE);
    }

    /**
     * Creates scopes with a cancellation policy.
     *
     * @param template     runs the scopes' commands
     * @param cancellation what a cancelled subscription does to its scope
     */
    public ReactiveScopes(CompensationTemplate template, CancellationPolicy cancellation) {
        this.template = Objects.requireNonNull(template, "template must not be null");
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation must not be null");
        this.scheduler = Schedulers.boundedElastic();
    }

    /**
     * The template these scopes settle with.
     *
     * @return the template
     */
    public CompensationTemplate template() {
        return template;
    }

    /**
     * Runs each subscription to {@code work} in a scope of its own.
     *
     * @param definition what the scope is
     * @param work       the work
     * @param <T>        what it emits
     * @return a {@code Mono} that signals like {@code work}, once the scope's commands ran
     */
    public <T> Mono<T> mono(ScopeDefinition definition, Mono<T> work) {
        Objects.requireNonNull(definition, "definition must not be null");
        Objects.requireNonNull(work, "work must not be null");
        return Mono.deferContextual(context -> {
            DeferredScope scope = open(definition, context);
            return tieToTransaction(scope)
                    .then(work.contextWrite(inner -> inner.put(ScopeContext.KEY, scope)).materialize())
                    .flatMap(signal -> signal.isOnError()
                            ? this.<T>failed(scope, Objects.requireNonNull(signal.getThrowable()))
                            : succeeded(scope).then(Mono.justOrEmpty(signal.get())))
                    .doOnCancel(() -> cancelled(scope));
        });
    }

    /**
     * Runs each subscription to {@code work} in a scope of its own; elements pass through as they come, and the
     * terminal signal waits for the scope's commands.
     *
     * @param definition what the scope is
     * @param work       the work
     * @param <T>        what it emits
     * @return a {@code Flux} that signals like {@code work}, its terminal signal once the scope's commands ran
     */
    public <T> Flux<T> flux(ScopeDefinition definition, Flux<T> work) {
        Objects.requireNonNull(definition, "definition must not be null");
        Objects.requireNonNull(work, "work must not be null");
        return Flux.deferContextual(context -> {
            DeferredScope scope = open(definition, context);
            return tieToTransaction(scope)
                    .thenMany(work.contextWrite(inner -> inner.put(ScopeContext.KEY, scope)))
                    .onErrorResume(error -> failed(scope, error))
                    .concatWith(succeeded(scope).then(Mono.empty()))
                    .doOnCancel(() -> cancelled(scope));
        });
    }

    /**
     * The scope of the subscription this {@code Mono} is part of, to read its id or attributes (the reactive
     * counterpart of {@code Compensations.currentScope()}).
     *
     * @return the scope, or an empty {@code Mono} outside any scope
     */
    public static Mono<CompensationScope> currentScope() {
        return Mono.deferContextual(context -> {
            DeferredScope scope = ScopeContext.find(context);
            return scope == null ? Mono.empty() : Mono.just(scope.scope());
        });
    }

    private DeferredScope open(ScopeDefinition definition, ContextView context) {
        DeferredScope enclosing = ScopeContext.find(context);
        return template.openDeferred(definition, enclosing != null ? enclosing.scope() : null);
    }

    /** Ties a top-level scope to the reactive transaction of the subscription, if it runs in one (T2). */
    private Mono<Void> tieToTransaction(DeferredScope scope) {
        if (!REACTIVE_TRANSACTIONS || scope.scope().joinedScope() != null) {
            return Mono.empty();
        }
        return TransactionSynchronizationManager.forCurrentTransaction()
                .flatMap(transaction -> {
                    if (transaction.isSynchronizationActive()) {
                        scope.awaitTransaction();
                        transaction.registerSynchronization(new SettleOnCompletion(scope, scheduler));
                    }
                    return Mono.<Void>empty();
                })
                .onErrorResume(NoTransactionException.class, none -> Mono.empty());
    }

    private <T> Mono<T> failed(DeferredScope scope, Throwable error) {
        return settling(scheduler, () -> {
            try {
                scope.failed(error);
            }
            catch (Throwable unexpected) {
                if (unexpected != error) {
                    error.addSuppressed(unexpected);
                }
            }
        }).then(Mono.error(error));
    }

    private Mono<Void> succeeded(DeferredScope scope) {
        return settling(scheduler, scope::succeeded);
    }

    private void cancelled(DeferredScope scope) {
        Outcome outcome = cancellation.outcome();
        Runnable abandon = () -> scope.abandon(outcome,
                new CancellationException("the subscriber cancelled before the work ended"));
        if (Schedulers.isInNonBlockingThread()) {
            scheduler.schedule(abandon);
        }
        else {
            abandon.run();
        }
    }

    /**
     * Settles where commands may block: on the thread the signal arrived on, unless Reactor marks it non-blocking
     * (its parallel scheduler, Netty event loops of HTTP clients and R2DBC drivers), then on the bounded-elastic
     * scheduler.
     */
    private static Mono<Void> settling(Scheduler scheduler, Runnable settle) {
        return Mono.defer(() -> Schedulers.isInNonBlockingThread()
                ? Mono.<Void>fromRunnable(settle).subscribeOn(scheduler)
                : Mono.<Void>fromRunnable(settle));
    }

    /** Settles a scope waiting for its reactive transaction, off the driver's threads. */
    private record SettleOnCompletion(DeferredScope scope, Scheduler scheduler) implements TransactionSynchronization {

        @Override
        public Mono<Void> afterCompletion(int status) {
            Outcome outcome = switch (status) {
                case STATUS_COMMITTED -> Outcome.COMMITTED;
                case STATUS_ROLLED_BACK -> Outcome.ROLLED_BACK;
                default -> Outcome.UNKNOWN;
            };
            return settling(scheduler, () -> scope.transactionCompleted(outcome));
        }
    }

    @Override
    public String toString() {
        return "ReactiveScopes[" + cancellation + "]";
    }
}
