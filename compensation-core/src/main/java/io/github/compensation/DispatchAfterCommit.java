package io.github.compensation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opens a dispatch scope around each invocation of the annotated method (or of every public method of the annotated
 * type). Actions registered through {@link DispatchCommands} run oldest first, only once the invocation completed and
 * the transaction active at its end committed; with no transaction, right after the method returns. On any other
 * outcome they are dropped and reported as discarded.
 *
 * <p>When a method carries both this annotation and {@link RollbackOnceFailed}, one scope serves both, and the
 * exception rules of {@link RollbackOnceFailed} decide the outcome. With this annotation alone, every exception drops
 * the queued commands.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface DispatchAfterCommit {

    /** How this scope relates to a scope already open on the thread. */
    Propagation propagation() default Propagation.REQUIRED;
}
