package io.github.compensation.test;

import io.github.compensation.spi.CommandRunner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Provokes, without touching the application's code, what is hard to provoke in a test (clause X1): a commit that
 * fails, a commit whose outcome is unknown, a command that fails a number of times before it succeeds, and an instance
 * that dies right after a commit.
 *
 * <p>Each fault is armed by the test that calls the method and applies to the next matching event on a thread of that
 * test, or on a thread that belongs to no test (a web server's request thread); it is disarmed when that test ends,
 * triggered or not (see {@link ScopeRecorder} for which thread belongs to which test). Faults armed outside any test
 * (for example with {@link CompensationTestKit} and no extension) apply to every thread. Commit faults act on the
 * transaction managers passed through {@link #wrap(PlatformTransactionManager)}, which {@link AutoConfigureCompensations}
 * does for every {@link PlatformTransactionManager} bean; command faults act on the runners passed through
 * {@link #decorate(CommandRunner)}.
 *
 * <p>Thread-safe.
 */
public final class CompensationFaults {

    private final ScopeRecorder recorder;
    private final List<Armed<CommitFault>> commits = new ArrayList<>();
    private final List<Armed<CommandFault>> commands = new ArrayList<>();
    private final List<Consumer<String>> crashHooks = new CopyOnWriteArrayList<>();

    /**
     * Creates the faults for the scopes this recorder records; the crash fault needs it to know which scopes were
     * waiting to settle.
     *
     * @param recorder the recorder of the application's scopes
     */
    public CompensationFaults(ScopeRecorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder must not be null");
    }

    /**
     * The next commit fails: the transaction manager rolls the transaction back, its synchronizations hear "rolled
     * back" (so scopes waiting for it roll back, T2), and {@code commit} throws a
     * {@link org.springframework.transaction.TransactionSystemException} whose cause is a {@link ProvokedFailure},
     * which a method that owns its transaction throws to its caller (T1). This is what Spring does when a commit fails
     * with {@code rollbackOnCommitFailure} set, as the starter sets it.
     *
     * @return this, to arm more
     */
    public CompensationFaults failNextCommit() {
        return arm(CommitFault.FAIL);
    }

    /**
     * The next commit ends with an unknown outcome: the transaction is rolled back, but its synchronizations hear
     * "unknown", and {@code commit} throws a {@link org.springframework.transaction.TransactionSystemException}. A
     * scope that returned inside that transaction settles {@code UNKNOWN} (T3); a method that owns its transaction
     * gets the exception, like any failed commit.
     *
     * @return this, to arm more
     */
    public CompensationFaults nextCommitOutcomeUnknown() {
        return arm(CommitFault.UNKNOWN);
    }

    /**
     * The instance dies right after the next commit, as far as compensations are concerned: the transaction commits,
     * and every scope of that thread that had not settled yet runs none of its commands (they are reported failed
     * with a {@link ProvokedFailure}); with the journal, the scope is left unsettled in the journal, for
     * {@link JournalRecovery#recoverNow()} to finish as another instance would. The call itself returns as usual.
     *
     * @return this, to arm more
     */
    public CompensationFaults crashAfterNextCommit() {
        return arm(CommitFault.CRASH_AFTER_COMMIT);
    }

    /**
     * The command with this description fails its next {@code times} attempts, with a {@link ProvokedFailure}, then
     * runs as usual. Attempts are counted across retries (R6), scopes and kinds.
     *
     * @param description the command's description, or the words it starts with ({@code "cancel hotel"} names
     *                    {@code "cancel hotel HO-17"})
     * @param times       how many attempts fail, at least 1
     * @return this, to arm more
     */
    public CompensationFaults failCommand(String description, int times) {
        Objects.requireNonNull(description, "description must not be null");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        synchronized (this) {
            commands.add(new Armed<>(new CommandFault(description, times), TestRun.current()));
        }
        return this;
    }

    /**
     * Disarms the faults armed by the calling thread's test (every fault, when the thread belongs to no test).
     *
     * @return this
     */
    public synchronized CompensationFaults reset() {
        TestRun run = TestRun.current();
        commits.removeIf(armed -> run == null || armed.owner() == run);
        commands.removeIf(armed -> run == null || armed.owner() == run);
        return this;
    }

    /**
     * Adds what else must forget a scope when the instance "crashes" before the scope settled; the journal support
     * adds the journal's {@code forgetScope}.
     *
     * @param hook called with the id of each outermost scope concerned
     */
    public void onCrash(Consumer<String> hook) {
        crashHooks.add(Objects.requireNonNull(hook, "hook must not be null"));
    }

    /**
     * Wraps a command runner so that armed command faults and crashes apply to the commands it runs.
     *
     * @param runner the runner to wrap
     * @return the wrapping runner
     */
    public CommandRunner decorate(CommandRunner runner) {
        return new FaultInjectingCommandRunner(Objects.requireNonNull(runner, "runner must not be null"), this,
                recorder);
    }

    /**
     * Wraps a transaction manager so that armed commit faults apply to its commits. The proxy implements the manager's
     * interfaces ({@link PlatformTransactionManager}, {@code ResourceTransactionManager}, ...), not its class, whose
     * {@code commit} is final: code that injects the manager by its class needs the interface instead.
     *
     * @param transactionManager the manager
     * @return the wrapping manager
     */
    public PlatformTransactionManager wrap(PlatformTransactionManager transactionManager) {
        Objects.requireNonNull(transactionManager, "transactionManager must not be null");
        ProxyFactory factory = new ProxyFactory(transactionManager);
        factory.setProxyTargetClass(false);
        factory.addAdvice(new CommitFaultInterceptor(this));
        return (PlatformTransactionManager) factory.getProxy(transactionManager.getClass().getClassLoader());
    }

    private CompensationFaults arm(CommitFault fault) {
        synchronized (this) {
            commits.add(new Armed<>(fault, TestRun.current()));
        }
        return this;
    }

    /** Takes the first commit fault that applies to the calling thread, or {@code null}. */
    synchronized @Nullable CommitFault takeCommitFault() {
        for (Iterator<Armed<CommitFault>> iterator = commits.iterator(); iterator.hasNext(); ) {
            Armed<CommitFault> armed = iterator.next();
            if (armed.isDead()) {
                iterator.remove();
            }
            else if (armed.applies()) {
                iterator.remove();
                return armed.fault();
            }
        }
        return null;
    }

    /** The first command fault with attempts left that names this command and applies here, or {@code null}. */
    synchronized @Nullable CommandFault commandFault(String description) {
        for (Iterator<Armed<CommandFault>> iterator = commands.iterator(); iterator.hasNext(); ) {
            Armed<CommandFault> armed = iterator.next();
            if (armed.isDead() || armed.fault().left() == 0) {
                iterator.remove();
            }
            else if (armed.applies() && DescriptionMatch.matches(description, armed.fault().description())) {
                return armed.fault();
            }
        }
        return null;
    }

    /** The instance "dies" right after a commit on the calling thread. */
    void crashNow() {
        for (String scopeId : recorder.crashScopesOfThisThread()) {
            for (Consumer<String> hook : crashHooks) {
                hook.accept(scopeId);
            }
        }
    }

    /** What can happen to a commit. */
    enum CommitFault { FAIL, UNKNOWN, CRASH_AFTER_COMMIT }

    /** A command made to fail a number of times. */
    static final class CommandFault {

        private final String description;
        private final int times;
        private final AtomicInteger left;

        CommandFault(String description, int times) {
            this.description = description;
            this.times = times;
            this.left = new AtomicInteger(times);
        }

        String description() {
            return description;
        }

        int left() {
            return left.get();
        }

        /** Uses one provoked failure; returns which one (1-based), or 0 when none is left. */
        int take() {
            int remaining = left.getAndUpdate(value -> Math.max(0, value - 1));
            return remaining == 0 ? 0 : times - remaining + 1;
        }

        int times() {
            return times;
        }
    }

    /** A fault and the test that armed it ({@code null}: armed outside any test, applies everywhere). */
    private record Armed<T>(T fault, @Nullable TestRun owner) {

        boolean isDead() {
            return owner != null && !owner.isActive();
        }

        boolean applies() {
            if (owner == null) {
                return true;
            }
            TestRun current = TestRun.current();
            return current == null || current == owner;
        }
    }
}
