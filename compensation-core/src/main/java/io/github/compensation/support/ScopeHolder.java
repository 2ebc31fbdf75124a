package io.github.compensation.support;

import io.github.compensation.ScopeCallback;
import org.jspecify.annotations.Nullable;

/**
 * The scope bound to the current thread. Every bind is paired with a restore in a {@code finally} block, so that no
 * scope is left on pooled threads (clause N3).
 *
 * <p>Each thread gets one slot, looked up once per scope: the template reads the enclosing scope from it, writes its
 * own, and writes the enclosing one back at the end, without a second lookup. The slot is an {@code Object[1]}, a type
 * of the JDK, so that a thread of a pool outliving the application keeps no class of this library reachable; it holds
 * nothing between calls. Removing and re-creating the thread-local on every call would cost more than the whole scope.
 */
final class ScopeHolder {

    private static final ThreadLocal<@Nullable Object[]> SLOT = ThreadLocal.withInitial(() -> new Object[1]);

    private ScopeHolder() {
    }

    /** The calling thread's slot; only that thread may read or write it. */
    static @Nullable Object[] slot() {
        return SLOT.get();
    }

    static @Nullable Scope current() {
        return (Scope) SLOT.get()[0];
    }

    static @Nullable Scope bind(@Nullable Scope scope) {
        @Nullable Object[] slot = SLOT.get();
        Scope previous = (Scope) slot[0];
        slot[0] = scope;
        return previous;
    }

    static void restore(@Nullable Scope previous) {
        SLOT.get()[0] = previous;
    }

    /** Runs {@code work} with {@code scope} bound, and leaves the thread as it found it. */
    static void runIn(@Nullable Scope scope, Runnable work) {
        @Nullable Object[] slot = SLOT.get();
        Scope previous = (Scope) slot[0];
        slot[0] = scope;
        try {
            work.run();
        }
        finally {
            slot[0] = previous;
        }
    }

    /** Like {@link #runIn}, for work that returns a value or throws. */
    static <T extends @Nullable Object, X extends Throwable> T callIn(@Nullable Scope scope, ScopeCallback<T, X> work)
            throws X {
        @Nullable Object[] slot = SLOT.get();
        Scope previous = (Scope) slot[0];
        slot[0] = scope;
        try {
            return work.doInScope();
        }
        finally {
            slot[0] = previous;
        }
    }
}
