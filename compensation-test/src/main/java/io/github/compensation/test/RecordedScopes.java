package io.github.compensation.test;

import io.github.compensation.ScopeReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The scopes a test sees: by default those of the test running on the calling thread (see {@link ScopeRecorder} for
 * the rule), optionally narrowed by name. A view, not a copy: every call reads the recorder again, so the same object
 * can be asserted on, waited on and asserted on again. A scope that joined its enclosing scope (N1) is not listed: its
 * commands are in the enclosing scope's report.
 *
 * <p>Immutable and thread-safe. Assert on it with {@link CompensationAssertions#assertThat(RecordedScopes)}.
 */
public final class RecordedScopes {

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private final ScopeRecorder recorder;
    private final boolean currentTestOnly;
    private final Predicate<RecordedScope> filter;
    private final String label;

    RecordedScopes(ScopeRecorder recorder, boolean currentTestOnly, Predicate<RecordedScope> filter, String label) {
        this.recorder = recorder;
        this.currentTestOnly = currentTestOnly;
        this.filter = filter;
        this.label = label;
    }

    /**
     * The scopes of this view that are not joined into an enclosing scope, in the order they opened.
     *
     * @return a snapshot
     */
    public List<RecordedScope> list() {
        return visible(false);
    }

    /**
     * The reports of the settled scopes of this view, in the order the scopes opened.
     *
     * @return a snapshot
     */
    public List<ScopeReport> reports() {
        List<ScopeReport> reports = new ArrayList<>();
        for (RecordedScope scope : list()) {
            ScopeReport report = scope.report();
            if (report != null) {
                reports.add(report);
            }
        }
        return reports;
    }

    /**
     * This view narrowed to scopes with the given name.
     *
     * @param name a scope name, typically {@code Class.method} (for example {@code TripService.book})
     * @return the narrower view
     */
    public RecordedScopes named(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return new RecordedScopes(recorder, currentTestOnly, filter.and(scope -> scope.name().equals(name)),
                label + " named " + name);
    }

    /**
     * Waits until every scope of this view is done (settled, or joined into its enclosing scope), for example the
     * scopes of work the test started on other threads, or scopes waiting for a transaction to end. Returns at once
     * when they are; never sleeps longer than needed.
     *
     * @param timeout how long to wait at most
     * @return this view, to assert on
     * @throws AssertionError when scopes are still running after the timeout, listing every scope of the view
     */
    public RecordedScopes awaitSettled(Duration timeout) {
        return awaitUntil(timeout, scopes -> {
            List<RecordedScope> running = scopes.visible(true).stream().filter(scope -> !scope.isDone()).toList();
            if (!running.isEmpty()) {
                throw new AssertionError(running.size() + " scope(s) not settled");
            }
        });
    }

    /**
     * Waits until every scope of this view is done and there are at least {@code count} settled scopes, for work that
     * opens its scopes later (an executor, a message listener, the journal's outbox).
     *
     * @param count   settled scopes expected at least
     * @param timeout how long to wait at most
     * @return this view, to assert on
     * @throws AssertionError when that did not happen in time, listing every scope of the view
     */
    public RecordedScopes awaitSettled(int count, Duration timeout) {
        return awaitUntil(timeout, scopes -> {
            List<RecordedScope> all = scopes.visible(true);
            long settled = all.stream().filter(scope -> scope.report() != null).count();
            if (settled < count || all.stream().anyMatch(scope -> !scope.isDone())) {
                throw new AssertionError(settled + " of " + count + " scope(s) settled");
            }
        });
    }

    /**
     * Runs the assertion again, each time a scope changes and at least every 20 ms, until it passes or the timeout
     * passes. Use it for what happens after commit outside any scope's report, such as the journal delivering an
     * outbox row, or for conditions on the application's own state.
     *
     * @param timeout   how long to wait at most
     * @param assertion throws an {@link AssertionError} (or any runtime exception) while the condition is not met
     * @return this view
     * @throws AssertionError the assertion's last failure, with the view's scopes appended, once the timeout passed
     */
    public RecordedScopes awaitUntil(Duration timeout, Consumer<? super RecordedScopes> assertion) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        Objects.requireNonNull(assertion, "assertion must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Throwable last;
            try {
                assertion.accept(this);
                return this;
            }
            catch (AssertionError | RuntimeException notYet) {
                last = notYet;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Condition not met within " + timeout.toMillis() + " ms: "
                        + last.getMessage() + "\n" + describe(), last);
            }
            try {
                recorder.awaitChange(Math.min(left, POLL_NANOS));
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for scopes\n" + describe(), interrupted);
            }
        }
    }

    /**
     * Every scope of the view as readable text: the report block of each settled one, a line for the others.
     *
     * @return the text
     */
    public String describe() {
        List<RecordedScope> scopes = visible(true);
        if (scopes.isEmpty()) {
            return "no scopes recorded" + label + (currentTestOnly ? " for this test" : "");
        }
        return scopes.size() + " scope(s)" + label + (currentTestOnly ? " of this test" : "") + ":\n"
                + scopes.stream().map(RecordedScope::describe).collect(Collectors.joining("\n"));
    }

    /** The view's scopes, joined ones included or not. */
    List<RecordedScope> visible(boolean withJoined) {
        TestRun run = currentTestOnly ? TestRun.current() : null;
        return recorder.scopes(scope -> (run == null || scope.visibleTo(run)) && filter.test(scope)
                && (withJoined || scope.state() != RecordedScope.State.JOINED));
    }

    @Override
    public String toString() {
        return describe();
    }
}
