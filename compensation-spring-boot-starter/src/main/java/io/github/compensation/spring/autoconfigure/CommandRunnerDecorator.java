package io.github.compensation.spring.autoconfigure;

import io.github.compensation.spi.CommandRunner;

/**
 * Wraps the {@link CommandRunner} that the auto-configured template uses, to run something around every command: the
 * starter's own {@link io.github.compensation.spring.observability.ScopeContextCommandRunner} puts the scope id in the
 * MDC and restores the tracing context; the compensation-test module makes chosen commands fail. A decorating runner
 * should also override the {@code run} variant that receives the command's kind and description, and pass them on to
 * its delegate, so that decorators further in see them. Every bean of this type applies, in order, the first
 * innermost; applying them when the template is built (rather than through a bean post-processor) also covers the
 * early creation of the template, which the auto-proxy infrastructure needs.
 */
@FunctionalInterface
public interface CommandRunnerDecorator {

    /**
     * Decorates a runner.
     *
     * @param runner the runner to wrap
     * @return the wrapping runner
     */
    CommandRunner decorate(CommandRunner runner);
}
