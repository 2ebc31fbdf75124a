package io.github.compensation;

import org.jspecify.annotations.Nullable;

/**
 * The scope bound to the current thread. Every bind is paired with a restore in a {@code finally} block, and restoring
 * {@code null} removes the thread-local entirely, so that no state is left on pooled threads (clause N3).
 */
final class ScopeHolder {

    private static final ThreadLocal<CompensationScope> CURRENT = new ThreadLocal<>();

    private ScopeHolder() {
    }

    static @Nullable CompensationScope current() {
        return CURRENT.get();
    }

    static @Nullable CompensationScope bind(@Nullable CompensationScope scope) {
        CompensationScope previous = CURRENT.get();
        restore(scope);
        return previous;
    }

    static void restore(@Nullable CompensationScope previous) {
        if (previous == null) {
            CURRENT.remove();
        }
        else {
            CURRENT.set(previous);
        }
    }
}
