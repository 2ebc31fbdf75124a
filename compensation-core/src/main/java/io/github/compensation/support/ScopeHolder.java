package io.github.compensation.support;

import org.jspecify.annotations.Nullable;

/**
 * The scope bound to the current thread. Every bind is paired with a restore in a {@code finally} block, so that no
 * scope is left on pooled threads (clause N3). Restoring {@code null} keeps the thread's slot for this one static
 * thread-local, holding nothing: removing and re-creating it on every call costs more than the whole scope.
 */
final class ScopeHolder {

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private ScopeHolder() {
    }

    static @Nullable Scope current() {
        return CURRENT.get();
    }

    static @Nullable Scope bind(@Nullable Scope scope) {
        Scope previous = CURRENT.get();
        restore(scope);
        return previous;
    }

    static void restore(@Nullable Scope previous) {
        CURRENT.set(previous);
    }
}
