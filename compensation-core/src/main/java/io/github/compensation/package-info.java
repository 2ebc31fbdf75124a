/**
 * Compensations and after-commit dispatch for multi-step work.
 *
 * <p>A <em>scope</em> is one invocation of a method annotated with {@link io.github.compensation.RollbackOnceFailed}
 * and/or {@link io.github.compensation.DispatchAfterCommit}, or a block run through
 * {@link io.github.compensation.CompensationTemplate}. Each scope owns a stack of rollback commands and a queue of
 * dispatch commands, reachable on the scope's thread through {@link io.github.compensation.RollbackCommands} and
 * {@link io.github.compensation.DispatchCommands}. This package has no dependency on Spring.
 */
@NullMarked
package io.github.compensation;

import org.jspecify.annotations.NullMarked;
