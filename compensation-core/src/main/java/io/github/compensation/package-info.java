/**
 * The user API: what application code writes against. The annotations ({@link io.github.compensation.RollbackOnceFailed},
 * {@link io.github.compensation.DispatchAfterCommit}), the holders ({@link io.github.compensation.RollbackCommands},
 * {@link io.github.compensation.DispatchCommands}) and the {@link io.github.compensation.Command} they take, the
 * settings of a scope, and the immutable reports of settled scopes ({@link io.github.compensation.ScopeReport}).
 *
 * <p>A <em>scope</em> is one invocation of an annotated method, or a block run through the programmatic
 * {@code io.github.compensation.support.CompensationTemplate}. This package depends on no other package of the
 * project and on no Spring type; integrators implement {@code io.github.compensation.spi}, the engine lives in
 * {@code io.github.compensation.support}.
 */
@NullMarked
package io.github.compensation;

import org.jspecify.annotations.NullMarked;
