/**
 * The engine: {@link io.github.compensation.support.CompensationTemplate} runs a scope,
 * {@link io.github.compensation.support.Compensations} gives static access to the current thread's holders and carries
 * a scope to other threads, and the defaults for the SPI live here (a command runner without retries between waits of
 * its own, a logging listener, the report's text layout). Everything else in this package is internal. Like
 * {@code TransactionTemplate} and {@code TransactionSynchronizationManager} in spring-tx, it builds on the user API and
 * the SPI, and neither of them depends on it.
 */
@NullMarked
package io.github.compensation.support;

import org.jspecify.annotations.NullMarked;
