/**
 * Scopes that follow Reactor {@code Mono} and {@code Flux} (clause A2): one scope per subscription, found by the
 * reactive holders in the subscriber's Reactor {@code Context} rather than in a thread-local, settled by the
 * publisher's terminal signal and by the reactive transaction it ran in.
 */
@NullMarked
package io.github.compensation.reactor;

import org.jspecify.annotations.NullMarked;
