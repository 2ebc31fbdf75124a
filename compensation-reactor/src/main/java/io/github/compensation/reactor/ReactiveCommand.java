package io.github.compensation.reactor;

import io.github.compensation.Command;
import java.util.Objects;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * A command whose action is a publisher, made when it runs and waited for. Settlement runs commands on a thread where
 * waiting is allowed (see {@link ReactiveScopes}); the publisher sees an empty context, so it runs outside the
 * subscription's finished transaction (clause D4).
 */
record ReactiveCommand(Supplier<? extends Publisher<?>> action) implements Command {

    ReactiveCommand {
        Objects.requireNonNull(action, "action must not be null");
    }

    @Override
    public void run() {
        Flux.from(action.get()).then().block();
    }
}
