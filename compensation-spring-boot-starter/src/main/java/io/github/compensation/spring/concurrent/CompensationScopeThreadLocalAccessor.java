package io.github.compensation.spring.concurrent;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context propagation carry the current scope wherever it carries other thread-local context
 * (executors wrapped with {@code ContextExecutorService}, {@code ContextPropagatingTaskDecorator}, Reactor). The
 * starter registers it with the global {@code ContextRegistry} when {@code compensation.async.propagate-scope=true}.
 */
public class CompensationScopeThreadLocalAccessor implements ThreadLocalAccessor<CompensationScope> {

    /** The key under which the scope travels. */
    public static final String KEY = "io.github.compensation.scope";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public @Nullable CompensationScope getValue() {
        return Compensations.captureScope();
    }

    @Override
    public void setValue(CompensationScope value) {
        Compensations.bindScope(value);
    }

    @Override
    public void setValue() {
        Compensations.restoreScope(null);
    }

    @Override
    public void restore(CompensationScope previousValue) {
        Compensations.restoreScope(previousValue);
    }
}
