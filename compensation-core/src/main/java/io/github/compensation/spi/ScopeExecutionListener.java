package io.github.compensation.spi;

import io.github.compensation.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Hears when a scope opens and when the call that opened it ends, on the caller's thread: the place to capture what
 * should travel with the scope's commands (a tracing context, an MDC entry) and to restore the thread afterwards.
 * Kept apart from {@link ScopeListener}, which receives reports, so that a scope pays only for the hooks somebody
 * registered, without the engine having to look at which methods a listener overrides.
 *
 * <p>An exception thrown by a hook is logged and otherwise ignored: it never changes what the scope's caller sees.
 */
public interface ScopeExecutionListener {

    /**
     * Called on the caller's thread when a scope opens, with the scope bound to the thread, before the scope's work
     * runs. Does nothing by default.
     *
     * @param scope the scope that just opened
     */
    default void beforeScope(CompensationScope scope) {
    }

    /**
     * Called on the caller's thread when the call that opened the scope is about to return or throw: after the scope's
     * work ended and, when the scope settled at once, after its commands ran and its report was published. Listeners
     * are called in the reverse of their registration order, so that what {@link #beforeScope} set up unwinds like a
     * stack. A scope whose fate depends on a transaction still running, or that joined an enclosing scope, settles
     * later, possibly on another thread. Does nothing by default.
     *
     * @param scope   the scope
     * @param outcome how it settled during the call, or {@code null} when it settles later or joined an enclosing scope
     * @param failure what the scope's work threw, or {@code null}
     */
    default void afterScope(CompensationScope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
    }
}
