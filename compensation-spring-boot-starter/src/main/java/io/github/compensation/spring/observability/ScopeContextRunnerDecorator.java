package io.github.compensation.spring.observability;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spring.autoconfigure.CommandRunnerDecorator;

/**
 * Wraps the command runner in a {@link ScopeContextCommandRunner}, so that commands run with their scope's MDC entry
 * and captured tracing context. A type of its own so that an application can replace it with a bean of this type,
 * while other {@link CommandRunnerDecorator} beans keep composing with it. Stateless and thread-safe.
 */
public class ScopeContextRunnerDecorator implements CommandRunnerDecorator {

    @Override
    public CommandRunner decorate(CommandRunner runner) {
        return new ScopeContextCommandRunner(runner);
    }
}
