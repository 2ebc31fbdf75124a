package io.github.compensation.spring.concurrent;

import io.github.compensation.support.Compensations;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting thread's scope into tasks run by an executor, so that {@code @Async} or executor work can
 * register commands in the caller's scope. The task must finish before the caller's scope ends: commands registered
 * after that are refused with {@link IllegalStateException}. Stateless and thread-safe.
 *
 * <p>The starter registers it as a bean when {@code compensation.async.propagate-scope=true}; Spring Boot applies it,
 * with any other {@link TaskDecorator} beans, to the executors it configures (the one behind {@code @Async} included).
 * Executors built by hand need {@code setTaskDecorator(...)}.
 */
public class CompensationScopeTaskDecorator implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable runnable) {
        return Compensations.wrap(runnable);
    }
}
