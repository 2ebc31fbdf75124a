package io.github.compensation.spring.observability;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.function.Supplier;

/** Micrometer context propagation, kept apart so that nothing loads it when it is not on the classpath. */
final class ContextSnapshots {

    private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

    private ContextSnapshots() {
    }

    static Object capture() {
        return FACTORY.captureAll();
    }

    static <T> T runIn(Object snapshot, Supplier<T> work) {
        try (ContextSnapshot.Scope restored = ((ContextSnapshot) snapshot).setThreadLocals()) {
            return work.get();
        }
    }
}
