package io.github.compensation.reactor;

import io.github.compensation.ScopeCallback;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.spring.aop.AsyncReturnAdapter;
import io.github.compensation.support.CompensationTemplate;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Follows annotated methods that return {@code Mono}, {@code Flux}, a Reactive Streams {@code Publisher} or another
 * type known to Spring's {@link ReactiveAdapterRegistry} (clause A2), through {@link ReactiveScopes}: the method runs
 * once, when called, to assemble its publisher, and every subscription to the returned publisher gets a scope of its
 * own. Commands are registered inside the publisher's chain, with {@link ReactiveRollbackCommands} and
 * {@link ReactiveDispatchCommands}. Thread-safe.
 */
public final class ReactorReturnAdapter implements AsyncReturnAdapter {

    private final ReactiveAdapterRegistry registry;
    private final CancellationPolicy cancellation;
    private volatile @Nullable ReactiveScopes scopes;

    /**
     * Creates the adapter with Spring's shared registry.
     *
     * @param cancellation what a cancelled subscription does to its scope
     */
    public ReactorReturnAdapter(CancellationPolicy cancellation) {
        this.registry = ReactiveAdapterRegistry.getSharedInstance();
        this.cancellation = Objects.requireNonNull(cancellation, "cancellation must not be null");
    }

    @Override
    public boolean supports(Class<?> returnType) {
        return !CompletionStage.class.isAssignableFrom(returnType)
                && (Publisher.class.isAssignableFrom(returnType) || registry.getAdapter(returnType) != null);
    }

    @Override
    public @Nullable Object invokeInScope(CompensationTemplate template, ScopeDefinition definition,
            ScopeCallback<@Nullable Object, Throwable> call) throws Throwable {
        Object result = call.doInScope();
        if (result == null) {
            return null;
        }
        ReactiveScopes current = scopes(template);
        if (result instanceof Mono<?> mono) {
            return current.mono(definition, mono);
        }
        if (result instanceof Flux<?> flux) {
            return current.flux(definition, flux);
        }
        ReactiveAdapter adapter = registry.getAdapter(result.getClass());
        if (adapter == null) {
            return current.flux(definition, Flux.from((Publisher<?>) result));
        }
        Publisher<?> publisher = adapter.toPublisher(result);
        return adapter.fromPublisher(adapter.isMultiValue()
                ? current.flux(definition, Flux.from(publisher))
                : current.mono(definition, Mono.from(publisher)));
    }

    private ReactiveScopes scopes(CompensationTemplate template) {
        ReactiveScopes current = scopes;
        if (current == null || current.template() != template) {
            current = new ReactiveScopes(template, cancellation);
            scopes = current;
        }
        return current;
    }

    @Override
    public String toString() {
        return "ReactorReturnAdapter[" + cancellation + "]";
    }
}
