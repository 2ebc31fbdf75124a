package io.github.compensation.support;

import io.github.compensation.ScopeCallback;
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

    /** Runs {@code work} with {@code scope} bound, and leaves the thread as it found it. */
    static void runIn(@Nullable Scope scope, Runnable work) {
        Scope previous = bind(scope);
        try {
            work.run();
        }
        finally {
            restore(previous);
        }
    }

    /** Like {@link #runIn}, for work that returns a value or throws. */
    static <T extends @Nullable Object, X extends Throwable> T callIn(@Nullable Scope scope, ScopeCallback<T, X> work)
            throws X {
        Scope previous = bind(scope);
        try {
            return work.doInScope();
        }
        finally {
            restore(previous);
        }
    }
}
