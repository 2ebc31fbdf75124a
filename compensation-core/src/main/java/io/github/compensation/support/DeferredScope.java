package io.github.compensation.support;

import io.github.compensation.DispatchCommands;
import io.github.compensation.DispatchFailedException;
import io.github.compensation.RollbackCommands;
import io.github.compensation.DispatchFailurePolicy;
import io.github.compensation.Outcome;
import io.github.compensation.spi.CompensationScope;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A scope kept open past the call that opened it, settled later by whoever follows the asynchronous result (clauses A1
 * and A2): {@link CompensationTemplate#executeAsync} makes one for a method that returns a {@code CompletionStage}, an
 * integration such as the Reactor module makes one per subscription with
 * {@link CompensationTemplate#openDeferred(io.github.compensation.ScopeDefinition, CompensationScope)}.
 *
 * <p>The scope is bound to no thread: work registers in it when the scope is carried explicitly (with
 * {@link Compensations#wrap(Runnable)} and friends, or {@link #callBound}), or through holders that know it, such as
 * those the Reactor module finds in a subscriber's context. Its fate needs two answers: how the work ended
 * ({@link #succeeded()}, {@link #failed(Throwable)}), and, when the scope was tied to a caller's transaction with
 * {@link #tieToTransaction()}, how that transaction ended. A failure settles at once, as a method that throws does;
 * a success waits for the transaction when there is one still running; a transaction that rolled back while the work
 * was still running rolls the scope back once the work ended, so that compensations registered late are not lost.
 * A scope nested in an enclosing scope that is still open when the work succeeds joins it (N1); once the enclosing
 * scope has ended, it settles on its own.
 *
 * <p>Thread-safe: the answers may arrive on any thread, in any order, and the scope settles exactly once, on the
 * thread that brought the deciding answer.
 */
public final class DeferredScope {

    /** Where the scope stands in waiting for its answers. */
    private enum Phase { RUNNING, AWAITING_TRANSACTION, DECIDED }

    private final CompensationTemplate template;
    private final Scope scope;
    private Phase phase = Phase.RUNNING;
    private boolean transactionTied;
    private @Nullable Outcome transactionOutcome;

    DeferredScope(CompensationTemplate template, Scope scope) {
        this.template = template;
        this.scope = scope;
        scope.share();
        Scope parent = scope.parent();
        if (parent != null) {
            parent.share();
        }
    }

    /**
     * The scope, to read its id or to bind it with {@link Compensations#bindScope(CompensationScope)}.
     *
     * @return the scope
     */
    public CompensationScope scope() {
        return scope;
    }

    /**
     * The rollback stack of this scope (or of the innermost scope around it that accepts rollback commands), usable
     * from any thread without binding the scope: what reactive holders register through.
     *
     * @return holders acting on this scope
     */
    public RollbackCommands rollbackCommands() {
        return Compensations.rollbackCommands(scope);
    }

    /**
     * The dispatch queue of this scope (or of the innermost scope around it that accepts dispatch commands), usable
     * from any thread without binding the scope.
     *
     * @return holders acting on this scope
     */
    public DispatchCommands dispatchCommands() {
        return Compensations.dispatchCommands(scope);
    }

    /**
     * Runs work with the scope bound to the calling thread, so that the thread-bound holders reach it, and leaves the
     * thread as it found it.
     *
     * @param work the work
     * @param <T>  what it returns
     * @param <X>  what it may throw
     * @return what the work returned
     * @throws X what the work threw
     */
    public <T extends @Nullable Object, X extends Throwable> T callBound(
            io.github.compensation.ScopeCallback<T, X> work) throws X {
        return ScopeHolder.callIn(scope, work);
    }

    /**
     * Ties the scope to the transaction active on the calling thread, if any, so that a success waits for that
     * transaction and a rollback of it rolls the scope back (T2). Call it on the thread that runs the transaction,
     * before the work can end. A nested scope is never tied: its enclosing scope decides.
     *
     * @return whether a transaction now decides too
     */
    public boolean tieToTransaction() {
        if (scope.parent() != null || !template.transactions().hasTransactionState()) {
            return false;
        }
        boolean tied = template.transactions().settleOnCompletion(this::transactionCompleted);
        synchronized (this) {
            transactionTied |= tied;
        }
        return tied;
    }

    /**
     * Reports how the transaction the scope depends on ended, for integrations that follow transactions themselves
     * (a reactive transaction, say). Ignored once the scope settled.
     *
     * @param outcome {@link Outcome#COMMITTED}, {@link Outcome#ROLLED_BACK} or {@link Outcome#UNKNOWN}
     */
    public void transactionCompleted(Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome must not be null");
        synchronized (this) {
            if (phase == Phase.RUNNING) {
                transactionTied = true;
                if (transactionOutcome == null || outcome != Outcome.COMMITTED) {
                    transactionOutcome = outcome;
                }
                return;
            }
            if (phase != Phase.AWAITING_TRANSACTION) {
                return;
            }
            phase = Phase.DECIDED;
        }
        template.settleBound(scope, outcome, null);
    }

    /**
     * Tells the scope that an integration will report a transaction's completion with
     * {@link #transactionCompleted(Outcome)}, so that a success waits for it.
     */
    public synchronized void awaitTransaction() {
        transactionTied = true;
    }

    /**
     * The work ended normally: joins the enclosing scope if it is still open, waits for the transaction if one is tied
     * and still running, or settles at once as committed (or as the transaction ended) and runs the dispatches.
     *
     * @return how the scope settled now, or {@code null} when it joined its enclosing scope or waits for a transaction
     * @throws DispatchFailedException when the scope committed now, dispatches failed, and the policy is
     *                                 {@link DispatchFailurePolicy#PROPAGATE}
     * @throws io.github.compensation.CleanupFailedException when the scope committed now, cleanups failed, and the
     *                                 cleanup failure policy propagates (R9)
     * @throws IllegalStateException   when the work's end was already reported
     */
    public @Nullable Outcome succeeded() {
        Outcome outcome;
        synchronized (this) {
            requireRunning();
            if (scope.parent() != null) {
                phase = Phase.DECIDED;
                outcome = null;
            }
            else if (transactionTied && transactionOutcome == null) {
                phase = Phase.AWAITING_TRANSACTION;
                scope.await();
                return null;
            }
            else {
                phase = Phase.DECIDED;
                outcome = transactionOutcome != null ? transactionOutcome : Outcome.COMMITTED;
            }
        }
        if (outcome == null) {
            if (scope.tryJoinParent(true)) {
                return null;
            }
            outcome = Outcome.COMMITTED;
        }
        template.settleBound(scope, outcome, null);
        if (outcome == Outcome.COMMITTED) {
            template.failIfCommittedFailed(scope);
        }
        return outcome;
    }

    /**
     * The work failed: settles at once by the scope's rollback rules, as a method that throws would (R1-R5, N1), and
     * attaches every command failure to {@code failure} with {@code addSuppressed}.
     *
     * @param failure what the work failed with; the caller should hand on this very instance
     * @return {@link Outcome#ROLLED_BACK} or {@link Outcome#FAILED_NO_ROLLBACK}
     * @throws IllegalStateException when the work's end was already reported
     */
    public Outcome failed(Throwable failure) {
        Objects.requireNonNull(failure, "failure must not be null");
        synchronized (this) {
            requireRunning();
            phase = Phase.DECIDED;
        }
        return template.failed(scope, failure, false);
    }

    /**
     * Settles the scope with the given outcome, whatever the work and the transaction do afterwards: for example
     * {@link Outcome#CANCELLED} when the work was abandoned halfway (a cancelled subscription). Ignored once the
     * scope settled.
     *
     * @param outcome the outcome
     * @param cause   why, or {@code null}
     */
    public void abandon(Outcome outcome, @Nullable Throwable cause) {
        Objects.requireNonNull(outcome, "outcome must not be null");
        synchronized (this) {
            if (phase == Phase.DECIDED) {
                return;
            }
            phase = Phase.DECIDED;
        }
        template.settleBound(scope, outcome, cause);
    }

    private void requireRunning() {
        if (phase != Phase.RUNNING) {
            throw new IllegalStateException("The work of scope " + scope.id() + " " + scope.name()
                    + " has already ended");
        }
    }

    /**
     * Settles by the stage's result and then completes {@code result} with it: the very failure (unwrapped from a
     * {@link CompletionException}), with command failures suppressed on it, or the value.
     */
    <T extends @Nullable Object> void complete(@Nullable T value, @Nullable Throwable error,
            CompletableFuture<T> result) {
        Throwable failure = error instanceof CompletionException wrapper && wrapper.getCause() != null
                ? wrapper.getCause() : error;
        if (failure != null) {
            try {
                failed(failure);
            }
            catch (Throwable unexpected) {
                if (unexpected != failure) {
                    failure.addSuppressed(unexpected);
                }
            }
            result.completeExceptionally(failure);
            return;
        }
        try {
            succeeded();
        }
        catch (Throwable dispatchFailure) {
            result.completeExceptionally(dispatchFailure);
            return;
        }
        result.complete(value);
    }

    @Override
    public String toString() {
        return "DeferredScope[" + scope + "]";
    }
}
