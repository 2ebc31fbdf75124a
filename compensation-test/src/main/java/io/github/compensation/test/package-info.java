/**
 * Test support for applications that use compensations (clause X1): a {@link io.github.compensation.test.ScopeRecorder}
 * that records every scope, per-test {@link io.github.compensation.test.RecordedScopes} views with a bounded wait,
 * AssertJ assertions ({@link io.github.compensation.test.CompensationAssertions}), and
 * {@link io.github.compensation.test.CompensationFaults} to provoke failed commits, unknown outcomes, failing commands
 * and crashes. In a Spring Boot test, add {@link io.github.compensation.test.AutoConfigureCompensations}; without
 * Spring, use {@link io.github.compensation.test.CompensationTestKit}.
 */
@NullMarked
package io.github.compensation.test;

import org.jspecify.annotations.NullMarked;
