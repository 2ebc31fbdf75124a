package io.github.compensation.spring.retry;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spi.CommandRunnerContract;
import io.github.compensation.spring.observability.ScopeContextCommandRunner;
import org.junit.jupiter.api.Nested;

/** R6: the starter's runners keep the {@link CommandRunner} contract. */
class RetryTemplateCommandRunnerContractTest extends CommandRunnerContract {

    @Override
    protected CommandRunner runner() {
        return new RetryTemplateCommandRunner();
    }

    /** The runner that restores a scope's MDC and tracing context around commands, wrapped around the above. */
    @Nested
    class WrappedInTheScopeContextRunner extends CommandRunnerContract {

        @Override
        protected CommandRunner runner() {
            return new ScopeContextCommandRunner(new RetryTemplateCommandRunner());
        }
    }
}
