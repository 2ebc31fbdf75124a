package io.github.compensation.reactor;

import io.github.compensation.support.DeferredScope;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/** Where a subscription's scope lives in the Reactor {@code Context}, and how the reactive holders find it. */
final class ScopeContext {

    /** A private key object, so that nothing else reads or overwrites the scope. */
    static final Object KEY = new Object() {
        @Override
        public String toString() {
            return "io.github.compensation.reactor.scope";
        }
    };

    private ScopeContext() {
    }

    static @Nullable DeferredScope find(ContextView context) {
        return context.getOrDefault(KEY, null);
    }

    static <T> Mono<T> missing(String what, String annotation) {
        return Mono.error(new IllegalStateException("No compensation scope in the Reactor context of this"
                + " subscription to register " + what + ": return the Mono or Flux that registers it from a method"
                + " annotated with " + annotation + " (on a Spring bean, called through its proxy), or wrap it with"
                + " ReactiveScopes.mono(...)/flux(...); the registering publisher must be part of that chain, since"
                + " the scope travels in the subscriber's context, not in a thread-local"));
    }
}
