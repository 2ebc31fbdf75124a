package io.github.compensation.spring.aop;

import io.github.compensation.ScopeCallback;
import io.github.compensation.ScopeDefinition;
import io.github.compensation.support.CompensationTemplate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Follows methods declared to return {@link CompletionStage} or {@link CompletableFuture} (clause A1) through
 * {@link CompensationTemplate#executeAsync}: the caller receives a {@code CompletableFuture} that completes like the
 * method's stage, once the compensations or the dispatches ran. A method declared with another implementation of
 * {@code CompletionStage} cannot receive a {@code CompletableFuture} and is refused at startup. Stateless and
 * thread-safe.
 */
public final class CompletionStageReturnAdapter implements AsyncReturnAdapter {

    @Override
    public boolean supports(Class<?> returnType) {
        return CompletionStage.class.isAssignableFrom(returnType) && returnType.isAssignableFrom(CompletableFuture.class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public @Nullable Object invokeInScope(CompensationTemplate template, ScopeDefinition definition,
            ScopeCallback<@Nullable Object, Throwable> call) throws Throwable {
        return template.executeAsync(definition, () -> (CompletionStage<@Nullable Object>) call.doInScope());
    }

    @Override
    public String toString() {
        return "CompletionStageReturnAdapter";
    }
}
