package io.github.compensation.spring.aop;

import io.github.compensation.ScopeCallback;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.support.CompensationTemplate;
import org.jspecify.annotations.Nullable;

/**
 * Follows the asynchronous result of an advised method, so that its scope settles when the work ended rather than
 * when the method returned (clauses A1 and A2). The starter brings one for {@code CompletionStage}
 * ({@link CompletionStageReturnAdapter}); the {@code compensation-reactor} module adds one for Reactor and the other
 * types of Spring's {@code ReactiveAdapterRegistry}. Declared as beans, adapters are handed to the
 * {@link CompensationAttributeSource}, which fails the start for a method whose asynchronous return type no adapter
 * supports (A4).
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface AsyncReturnAdapter {

    /**
     * Whether this adapter follows results declared as {@code returnType}.
     *
     * @param returnType the method's declared return type
     * @return {@code true} when {@link #invokeInScope} can follow it
     */
    boolean supports(Class<?> returnType);

    /**
     * Runs the call in a scope that settles when the returned result completes, and returns what the caller should
     * receive instead of the method's own result: an object of the declared return type that completes only after
     * the scope's commands ran.
     *
     * @param template   runs the scope
     * @param definition the scope's definition
     * @param call       proceeds with the advised call
     * @return the result to hand to the caller
     * @throws Throwable what the call threw when it threw rather than returning a result
     */
    @Nullable Object invokeInScope(CompensationTemplate template, ScopeDefinition definition,
            ScopeCallback<@Nullable Object, Throwable> call) throws Throwable;
}
