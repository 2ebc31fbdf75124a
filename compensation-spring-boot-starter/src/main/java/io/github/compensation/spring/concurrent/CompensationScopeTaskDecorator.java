package io.github.compensation.spring.concurrent;

import io.github.compensation.Compensations;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting thread's scope into tasks run by an executor, so that {@code @Async} or executor work can
 * register commands in the caller's scope. The task must finish before the caller's scope ends: commands registered
 * after that are refused with {@link IllegalStateException}. Stateless and thread-safe.
 *
 * <p>The starter registers it as a bean when {@code compensation.async.propagate-scope=true}; Spring Boot applies the
 * {@link TaskDecorator} beans to the executors it configures, composing them when there are several.
 */
public class CompensationScopeTaskDecorator implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable runnable) {
        return Compensations.wrap(runnable);
    }
}
