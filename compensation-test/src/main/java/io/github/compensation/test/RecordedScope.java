package io.github.compensation.test;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.ScopeReport;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One scope of the application under test, as {@link ScopeRecorder} saw it: from the moment it opened to its report.
 * Thread-safe; the state and report change as the scope goes on, every other value is fixed when it opens.
 */
public final class RecordedScope {

    /** Where a recorded scope stands. */
    public enum State {

        /** Its method is running. */
        OPEN,

        /** Its method returned inside a transaction owned by a caller; it settles when that transaction ends (T2). */
        AWAITING_TRANSACTION,

        /**
         * Its method returned inside an enclosing scope, which took over its commands (N1): it has no report of its
         * own, its commands show in the enclosing scope's report.
         */
        JOINED,

        /** It settled and published its report. */
        SETTLED
    }

    private final String id;
    private final String name;
    private final long sequence;
    private final @Nullable TestRun owner;
    private final Set<TestRun> witnesses;
    private final long threadId;
    private volatile State state = State.OPEN;
    private volatile @Nullable ScopeReport report;
    private volatile @Nullable CompensationScope live;
    private volatile boolean crashed;

    RecordedScope(String id, String name, long sequence, @Nullable TestRun owner, Set<TestRun> witnesses,
            long threadId, @Nullable CompensationScope live) {
        this.id = id;
        this.name = name;
        this.sequence = sequence;
        this.owner = owner;
        this.witnesses = witnesses;
        this.threadId = threadId;
        this.live = live;
    }

    /**
     * The scope's id, as in its report and the logs.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The scope's name, typically {@code Class.method}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Where the scope stands now.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * Whether the scope is done: settled, or joined into its enclosing scope.
     *
     * @return {@code true} when nothing more will happen to it in memory
     */
    public boolean isDone() {
        State current = state;
        return current == State.SETTLED || current == State.JOINED;
    }

    /**
     * The scope's report, once it settled.
     *
     * @return the report, or {@code null} while it has not settled (and for a joined scope)
     */
    public @Nullable ScopeReport report() {
        return report;
    }

    /**
     * Whether a crash right after commit was simulated while this scope was waiting to settle
     * ({@link CompensationFaults#crashAfterNextCommit()}): the commands it would have run after the commit did not run.
     *
     * @return {@code true} when the instance "died" before this scope settled
     */
    public boolean crashedAfterCommit() {
        return crashed;
    }

    /**
     * The scope's report as the readable block the logs show, or a line saying where it stands.
     *
     * @return the text, without a trailing line break
     */
    public String describe() {
        ScopeReport current = report;
        if (current != null) {
            return current.render() + (crashed ? "\n  (the instance crashed right after commit: commands not run)"
                    : "");
        }
        return "compensation scope " + id + " " + name + " " + switch (state) {
            case OPEN -> "still running";
            case AWAITING_TRANSACTION -> "returned, waiting for its caller's transaction to end";
            case JOINED -> "joined its enclosing scope";
            case SETTLED -> "settled";
        };
    }

    long sequence() {
        return sequence;
    }

    long threadId() {
        return threadId;
    }

    @Nullable CompensationScope live() {
        return live;
    }

    /** Whether the given run may see this scope: it opened the scope, or the scope belongs to no run it witnessed. */
    boolean visibleTo(TestRun run) {
        return owner == run || (owner == null && witnesses.contains(run));
    }

    void returned(boolean joined) {
        if (state == State.OPEN) {
            state = joined ? State.JOINED : State.AWAITING_TRANSACTION;
            if (joined) {
                live = null;
            }
        }
    }

    void settled(ScopeReport settledReport) {
        report = settledReport;
        state = State.SETTLED;
        live = null;
    }

    void crash() {
        crashed = true;
    }

    @Override
    public String toString() {
        return describe();
    }
}
