package io.github.compensation.support;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spi.CommandRunnerContract;

/** R6: the core's runner keeps the {@link CommandRunner} contract. */
class SimpleCommandRunnerContractTest extends CommandRunnerContract {

    @Override
    protected CommandRunner runner() {
        return new SimpleCommandRunner();
    }
}
