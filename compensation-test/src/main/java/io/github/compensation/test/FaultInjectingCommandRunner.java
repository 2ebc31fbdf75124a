package io.github.compensation.test;

import io.github.compensation.Command;
import io.github.compensation.spi.CommandRunner;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.github.compensation.RetrySpec;
import io.github.compensation.CommandKind;
import org.jspecify.annotations.Nullable;

/**
 * Applies armed command faults and crashes to the commands a runner runs: a command of a scope that "crashed" does not
 * run at all; a command named by a command fault fails inside the retry loop, so that retries see the provoked
 * failures as real ones (R6).
 */
final class FaultInjectingCommandRunner implements CommandRunner {

    private final CommandRunner delegate;
    private final CompensationFaults faults;
    private final ScopeRecorder recorder;

    FaultInjectingCommandRunner(CommandRunner delegate, CompensationFaults faults, ScopeRecorder recorder) {
        this.delegate = delegate;
        this.faults = faults;
        this.recorder = recorder;
    }

    @Override
    public Attempts run(Command command, RetrySpec retry) {
        Attempts crashed = crashed();
        return crashed != null ? crashed : delegate.run(command, retry);
    }

    @Override
    public Attempts run(Command command, RetrySpec retry, CommandKind kind, String description) {
        Attempts crashed = crashed();
        if (crashed != null) {
            return crashed;
        }
        CompensationFaults.CommandFault fault = faults.commandFault(description);
        if (fault == null) {
            return delegate.run(command, retry, kind, description);
        }
        Command failing = () -> {
            int provoked = fault.take();
            if (provoked > 0) {
                throw new ProvokedFailure("'" + description + "' failed on purpose (provoked failure " + provoked
                        + " of " + fault.times() + ")");
            }
            command.run();
        };
        return delegate.run(failing, retry, kind, description);
    }

    private @Nullable Attempts crashed() {
        CompensationScope scope = Compensations.currentScope();
        if (scope == null || !recorder.isCrashed(scope.id())) {
            return null;
        }
        return new Attempts(1, new ProvokedFailure("not run: the instance crashed right after commit"));
    }

    @Override
    public String toString() {
        return "FaultInjectingCommandRunner[" + delegate + "]";
    }
}
