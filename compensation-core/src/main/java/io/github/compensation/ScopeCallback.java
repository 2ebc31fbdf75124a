package io.github.compensation;

import org.jspecify.annotations.Nullable;

/**
 * The work run inside a scope by {@code CompensationTemplate.execute(ScopeDefinition, ScopeCallback)}.
 *
 * @param <T> what the work returns
 * @param <X> what the work may throw; inferred as {@link RuntimeException} for a lambda that throws nothing checked
 */
@FunctionalInterface
public interface ScopeCallback<T extends @Nullable Object, X extends Throwable> {

    /**
     * Does the work, registering commands through {@link RollbackCommands} and {@link DispatchCommands}.
     *
     * @return the result handed back to the caller
     * @throws X when the work fails; the caller receives this very exception
     */
    T doInScope() throws X;
}
