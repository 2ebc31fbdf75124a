package io.github.compensation.test;

import io.github.compensation.Outcome;
import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.ScopeReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on one settled scope, read from its {@link ScopeReport} (clause H1). Obtain through
 * {@link CompensationAssertions#assertThat(ScopeReport)} or from {@link RecordedScopesAssert#single()}.
 *
 * <p>Commands are named by their description or by the words it starts with ({@code "cancel hotel"} names
 * {@code "cancel hotel HO-17"}). The command lists are order-sensitive and complete: {@code ranCompensations("cancel
 * hotel", "cancel flight")} passes only when exactly those two compensations ran, the hotel's first, as the report
 * lists them (compensations newest first, dispatches oldest first). Every failure message ends with the scope's
 * report block. Not thread-safe, like every AssertJ assertion object.
 */
public final class ScopeAssert extends AbstractAssert<ScopeAssert, ScopeReport> {

    private final boolean crashed;

    ScopeAssert(ScopeReport actual) {
        this(actual, false);
    }

    ScopeAssert(ScopeReport actual, boolean crashed) {
        super(actual, ScopeAssert.class);
        this.crashed = crashed;
    }

    /**
     * The report under test, for assertions of your own.
     *
     * @return the report
     */
    public ScopeReport report() {
        return actual;
    }

    /**
     * Checks the scope's outcome.
     *
     * @param expected the outcome
     * @return this
     */
    public ScopeAssert outcome(Outcome expected) {
        isNotNull();
        if (actual.outcome() != expected) {
            fail("Expected scope %s to end %s but it ended %s", actual.name(), expected, actual.outcome());
        }
        return this;
    }

    /**
     * Checks that the scope committed (its dispatches were due).
     *
     * @return this
     */
    public ScopeAssert committed() {
        return outcome(Outcome.COMMITTED);
    }

    /**
     * Checks that the scope rolled back (its compensations were due).
     *
     * @return this
     */
    public ScopeAssert rolledBack() {
        return outcome(Outcome.ROLLED_BACK);
    }

    /**
     * Checks that the scope's reactive subscriber cancelled it, and the cancellation policy compensated (A2).
     *
     * @return this
     */
    public ScopeAssert cancelled() {
        return outcome(Outcome.CANCELLED);
    }

    /**
     * Checks that the scope ended with an unknown transaction outcome (T3).
     *
     * @return this
     */
    public ScopeAssert unknownOutcome() {
        return outcome(Outcome.UNKNOWN);
    }

    /**
     * Checks that the scope failed with an exception excluded from rollback (R5).
     *
     * @return this
     */
    public ScopeAssert failedWithoutRollback() {
        return outcome(Outcome.FAILED_NO_ROLLBACK);
    }

    /**
     * Checks the exception that ended the scope.
     *
     * @param type the expected type, or a supertype of it
     * @return this
     */
    public ScopeAssert causedBy(Class<? extends Throwable> type) {
        isNotNull();
        Objects.requireNonNull(type, "type must not be null");
        if (!type.isInstance(actual.cause())) {
            fail("Expected scope %s to have been ended by a %s but its cause was %s", actual.name(), type.getName(),
                    actual.cause() == null ? "none" : actual.cause().getClass().getName());
        }
        return this;
    }

    /**
     * Checks exactly which compensations ran, successfully, in which order (newest first, R1).
     *
     * @param descriptions in the order they ran; none to check that none ran
     * @return this
     */
    public ScopeAssert ranCompensations(String... descriptions) {
        return commands("run compensations", CommandKind.COMPENSATION, CommandStatus.DONE, descriptions);
    }

    /**
     * Checks exactly which cleanups ran, successfully, in which order (R3).
     *
     * @param descriptions in the order they ran
     * @return this
     */
    public ScopeAssert ranCleanups(String... descriptions) {
        return commands("run cleanups", CommandKind.CLEANUP, CommandStatus.DONE, descriptions);
    }

    /**
     * Checks exactly which dispatches ran, successfully, in which order (oldest first, D2).
     *
     * @param descriptions in the order they ran; none to check that none ran
     * @return this
     */
    public ScopeAssert ranDispatches(String... descriptions) {
        return commands("run dispatches", CommandKind.DISPATCH, CommandStatus.DONE, descriptions);
    }

    /**
     * Checks exactly which dispatches were discarded (D5), in registration order.
     *
     * @param descriptions the dispatches
     * @return this
     */
    public ScopeAssert discardedDispatches(String... descriptions) {
        return commands("discarded dispatches", CommandKind.DISPATCH, CommandStatus.DISCARDED, descriptions);
    }

    /**
     * Checks exactly which compensations were discarded (committed scope, point of no return), newest first.
     *
     * @param descriptions the compensations
     * @return this
     */
    public ScopeAssert discardedCompensations(String... descriptions) {
        return commands("discarded compensations", CommandKind.COMPENSATION, CommandStatus.DISCARDED, descriptions);
    }

    /**
     * Checks exactly which compensations were left pending for a person (unknown outcome, T3), newest first.
     *
     * @param descriptions the compensations
     * @return this
     */
    public ScopeAssert pendingCompensations(String... descriptions) {
        return commands("pending compensations", CommandKind.COMPENSATION, CommandStatus.PENDING, descriptions);
    }

    /**
     * Checks exactly which commands, of any kind, failed after all their attempts, in report order.
     *
     * @param descriptions the commands; none to check that no command failed
     * @return this
     */
    public ScopeAssert failedCommands(String... descriptions) {
        return commands("failed commands", null, CommandStatus.FAILED, descriptions);
    }

    /**
     * Checks how many attempts a command took (R6).
     *
     * @param description the command
     * @param attempts    attempts made, the first included
     * @return this
     */
    public ScopeAssert attempts(String description, int attempts) {
        isNotNull();
        CommandReport command = command(description);
        if (command.attempts() != attempts) {
            fail("Expected command '%s' of scope %s to have made %d attempt(s) but it made %d", command.description(),
                    actual.name(), attempts, command.attempts());
        }
        return this;
    }

    /**
     * Checks that the instance was made to crash right after this scope's commit
     * ({@link CompensationFaults#crashAfterNextCommit()}), so that nothing after the commit ran in memory.
     *
     * @return this
     */
    public ScopeAssert crashedAfterCommit() {
        isNotNull();
        if (!crashed) {
            fail("Expected scope %s to have crashed right after commit but it did not", actual.name());
        }
        return this;
    }

    private CommandReport command(String description) {
        Objects.requireNonNull(description, "description must not be null");
        for (CommandReport command : actual.commands()) {
            if (DescriptionMatch.matches(command.description(), description)) {
                return command;
            }
        }
        fail("Expected scope %s to have a command '%s' but it has none", actual.name(), description);
        throw new IllegalStateException("unreachable");
    }

    private ScopeAssert commands(String what, @Nullable CommandKind kind, CommandStatus status, String... expected) {
        isNotNull();
        Objects.requireNonNull(expected, "descriptions must not be null");
        List<String> found = new ArrayList<>();
        for (CommandReport command : actual.commands()) {
            if ((kind == null || command.kind() == kind) && command.status() == status) {
                found.add(command.description());
            }
        }
        boolean same = found.size() == expected.length;
        for (int i = 0; same && i < expected.length; i++) {
            same = DescriptionMatch.matches(found.get(i), expected[i]);
        }
        if (!same) {
            fail("Expected scope %s to have %s %s in this order but it had %s", actual.name(), what,
                    list(Arrays.asList(expected)), list(found));
        }
        return this;
    }

    private static String list(List<String> descriptions) {
        return descriptions.isEmpty() ? "none" : descriptions.stream().map(d -> "'" + d + "'").toList().toString();
    }

    private void fail(String message, Object... arguments) {
        String block = actual.render() + (crashed
                ? "\n  (the instance crashed right after commit: commands not run)" : "");
        failWithMessage("%s.%n%n%s", String.format(Locale.ROOT, message, arguments), block);
    }
}
