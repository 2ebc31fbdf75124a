package io.github.compensation.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One running test, as {@link CompensationsExtension} sees it: bound to the test's thread, and inherited by the threads
 * that thread starts, for as long as the test runs. Scopes and armed faults are attributed to the run of the thread
 * that opened or armed them. A run ends after the test method; a thread that still carries it (a pool thread the test
 * started) counts as carrying no run from then on.
 */
final class TestRun {

    private static final InheritableThreadLocal<@Nullable TestRun> CURRENT = new InheritableThreadLocal<>();
    private static final Set<TestRun> ACTIVE = ConcurrentHashMap.newKeySet();

    private final String name;
    private volatile boolean active = true;

    private TestRun(String name) {
        this.name = name;
    }

    /** Starts a run for the calling thread, which must be the test's. */
    static TestRun start(String name) {
        TestRun run = new TestRun(name);
        ACTIVE.add(run);
        CURRENT.set(run);
        return run;
    }

    /** Ends the run and unbinds it from the calling thread. */
    void end() {
        active = false;
        ACTIVE.remove(this);
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /** The run of the calling thread, or {@code null} when it carries none that is still running. */
    static @Nullable TestRun current() {
        TestRun run = CURRENT.get();
        return run != null && run.active ? run : null;
    }

    /** Whether the test is still running. */
    boolean isActive() {
        return active;
    }

    /** The runs active right now. */
    static Set<TestRun> active() {
        return Set.copyOf(ACTIVE);
    }

    @Override
    public String toString() {
        return name;
    }
}
