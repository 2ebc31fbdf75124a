/**
 * What integrations implement or use, as opposed to what application code calls: how commands are run
 * ({@link io.github.compensation.spi.CommandRunner}), what the engine needs to know about transactions
 * ({@link io.github.compensation.spi.TransactionBridge}), who hears about scopes
 * ({@link io.github.compensation.spi.ScopeListener}), the handle that runs a settled scope's failed commands again
 * ({@link io.github.compensation.spi.RetryHandle}), and the view of a scope that integrations get
 * ({@link io.github.compensation.spi.CompensationScope}). Depends on the user API package only.
 */
@NullMarked
package io.github.compensation.spi;

import org.jspecify.annotations.NullMarked;
