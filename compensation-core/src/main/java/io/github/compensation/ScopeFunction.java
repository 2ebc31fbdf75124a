package io.github.compensation;

import org.jspecify.annotations.Nullable;

/**
 * The work run inside a scope by {@code CompensationTemplate.execute(ScopeDefinition, Object, ScopeFunction)}: like
 * {@link ScopeCallback}, with the work's input passed in rather than captured. A method reference such as
 * {@code MethodInvocation::proceed} then needs no object per call, which is what the advice uses on its hot path.
 *
 * @param <A> what the work takes
 * @param <T> what the work returns
 * @param <X> what the work may throw
 */
@FunctionalInterface
public interface ScopeFunction<A, T extends @Nullable Object, X extends Throwable> {

    /**
     * Does the work, registering commands through {@link RollbackCommands} and {@link DispatchCommands}.
     *
     * @param argument the input handed to the template
     * @return the result handed back to the caller
     * @throws X when the work fails; the caller receives this very exception
     */
    T apply(A argument) throws X;
}
