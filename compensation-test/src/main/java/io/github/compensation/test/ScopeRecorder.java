package io.github.compensation.test;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.Outcome;
import io.github.compensation.spi.ScopeExecutionListener;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.ScopeReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Records every scope of the application under test, from {@link #beforeScope} to its report, and attributes each to
 * the test that opened it.
 *
 * <p><b>Which test a scope belongs to.</b> A scope opened on a thread that runs a test (bound by
 * {@link CompensationsExtension}), or on a thread that such a thread started while the test ran, belongs to that test
 * alone. A scope opened on any other thread (a web server's request thread, a pool thread the test did not start)
 * belongs to no test, and is shown to every test that was running when it opened: exactly the right one when tests
 * run one after the other; under parallel execution call the code on the test's own thread (directly, or through
 * MockMvc) to keep tests apart.
 *
 * <p>Both a {@link ScopeListener} (reports) and a {@link ScopeExecutionListener} (scopes opening and returning): register
 * it as both with a template built by hand. Thread-safe. Listener callbacks come from the application's threads; readers wait on this object's monitor for
 * changes ({@link RecordedScopes#awaitSettled}). Records are kept for the recorder's lifetime (one per scope, its
 * report included), which suits a test JVM.
 */
public class ScopeRecorder implements ScopeListener, ScopeExecutionListener {

    private final Map<String, RecordedScope> byId = new ConcurrentHashMap<>();
    private final List<RecordedScope> ordered = new ArrayList<>();
    private long sequence;

    @Override
    public void beforeScope(CompensationScope scope) {
        TestRun owner = TestRun.current();
        RecordedScope recorded;
        synchronized (this) {
            recorded = new RecordedScope(scope.id(), scope.name(), sequence++, owner,
                    owner == null ? TestRun.active() : Set.of(), Thread.currentThread().getId(), scope);
            ordered.add(recorded);
            byId.put(recorded.id(), recorded);
            notifyAll();
        }
    }

    @Override
    public void afterScope(CompensationScope scope, @Nullable Outcome outcome, @Nullable Throwable failure) {
        if (outcome != null) {
            return;
        }
        RecordedScope recorded = byId.get(scope.id());
        if (recorded != null) {
            synchronized (this) {
                recorded.returned(scope.joinedScope() != null);
                notifyAll();
            }
        }
    }

    @Override
    public void scopeFinished(ScopeReport report) {
        synchronized (this) {
            RecordedScope recorded = byId.get(report.id());
            if (recorded == null) {
                TestRun owner = TestRun.current();
                recorded = new RecordedScope(report.id(), report.name(), sequence++, owner,
                        owner == null ? TestRun.active() : Set.of(), Thread.currentThread().getId(), null);
                ordered.add(recorded);
                byId.put(recorded.id(), recorded);
            }
            recorded.settled(report);
            notifyAll();
        }
    }

    /**
     * The recorded scopes that match, in the order they opened.
     *
     * @param filter which to keep
     * @return a snapshot
     */
    public synchronized List<RecordedScope> scopes(Predicate<? super RecordedScope> filter) {
        List<RecordedScope> matching = new ArrayList<>();
        for (RecordedScope scope : ordered) {
            if (filter.test(scope)) {
                matching.add(scope);
            }
        }
        return matching;
    }

    /**
     * A view of the scopes of the test running on the calling thread (all scopes when no test is bound to it).
     *
     * @return the view
     */
    public RecordedScopes currentTest() {
        return new RecordedScopes(this, true, scope -> true, "");
    }

    /**
     * A view of every scope recorded, whatever test it belongs to.
     *
     * @return the view
     */
    public RecordedScopes all() {
        return new RecordedScopes(this, false, scope -> true, "");
    }

    /**
     * Marks every scope opened on the calling thread that has not settled yet as crashed: the instance "died" right
     * after a commit on this thread.
     *
     * @return the ids of the outermost scopes concerned, those that settle the journal's units
     */
    synchronized List<String> crashScopesOfThisThread() {
        long thread = Thread.currentThread().getId();
        List<String> roots = new ArrayList<>();
        for (RecordedScope scope : ordered) {
            CompensationScope live = scope.live();
            if (scope.threadId() == thread && !scope.isDone() && live != null) {
                scope.crash();
                String root = live.settlingScope().id();
                if (!roots.contains(root)) {
                    roots.add(root);
                }
            }
        }
        return roots;
    }

    /** Whether the scope with this id was marked crashed. */
    boolean isCrashed(String id) {
        RecordedScope scope = byId.get(id);
        return scope != null && scope.crashedAfterCommit();
    }

    /** Waits for a change to the records, at most {@code nanos}; spurious returns are fine for the callers. */
    synchronized void awaitChange(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        }
    }

    /** Wakes the waiting readers, for changes made elsewhere that they may poll for. */
    synchronized void changed() {
        notifyAll();
    }
}
