package io.github.compensation.journal;

import io.github.compensation.Command;
import java.util.concurrent.CompletionStage;

/**
 * A stored command whose work completes later (a handler registered with
 * {@link CommandHandlerRegistry#registerAsync}): the worker starts a batch of them before it waits for any;
 * {@link #run()} starts it and waits.
 */
interface StartableCommand extends Command {

    /**
     * Starts the work.
     *
     * @return completes when the work is done, exceptionally when it failed
     * @throws Exception when it cannot start
     */
    CompletionStage<?> start() throws Exception;

    @Override
    default void run() throws Exception {
        CommandHandlerRegistry.Asynchronous.await(start());
    }
}
