package io.github.compensation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * Opens a compensation scope around each invocation of the annotated method (or of every public method of the
 * annotated type). Inside it, {@link RollbackCommands} registers how to undo each side effect; if the invocation fails
 * with an exception that triggers a rollback, or its transaction rolls back, the registered compensations run newest
 * first, all of them, and the caller still sees the original exception.
 *
 * <p>By default every {@link Throwable} triggers, checked exceptions included. {@link #rollbackFor()} and
 * {@link #noRollbackFor()} refine that the way Spring's rollback rules do: the rule whose exception type is the
 * closest superclass of the thrown exception wins.
 *
 * <p>The retry attributes apply to each failing command of the scope (compensations, cleanups and dispatches); values
 * left at their defaults fall back to the application-wide setting (one attempt unless configured). Delays are
 * applied with millisecond precision.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RollbackOnceFailed {

    /** Exception types that trigger the compensations (useful to re-include subtypes of a {@link #noRollbackFor()}). */
    Class<? extends Throwable>[] rollbackFor() default {};

    /** Exception types that do not trigger the compensations: the scope ends {@link Outcome#FAILED_NO_ROLLBACK}. */
    Class<? extends Throwable>[] noRollbackFor() default {};

    /** How this scope relates to a scope already open on the thread. */
    Propagation propagation() default Propagation.REQUIRED;

    /** Attempts per failing command, first one included; {@code 0} uses the application-wide default. */
    int attempts() default 0;

    /** Delay before the second attempt; negative uses the application-wide default. */
    long delay() default -1;

    /** Factor applied to the delay after each attempt; {@code 0} uses the application-wide default. */
    double multiplier() default 0;

    /** Upper bound for the delay between attempts; negative uses the application-wide default. */
    long maxDelay() default -1;

    /** Unit of {@link #delay()} and {@link #maxDelay()}. */
    TimeUnit timeUnit() default TimeUnit.MILLISECONDS;

    /**
     * Whether, on a rollback, the compensations (and cleanups) of the scope run concurrently on the parallel executor
     * instead of newest first one after the other; the scope waits for all of them, and failures are attached to the
     * caller's exception in stack order (newest first), whichever finished first (clause A3). Use it for undo steps
     * that do not depend on each other, such as cancelling reservations at independent partners.
     */
    boolean parallel() default false;
}
