/**
 * The {@code compensations} Actuator endpoint (clause O1): scopes that need a person, one scope step by step, and
 * retry, resolve and discard.
 */
@NullMarked
package io.github.compensation.spring.operations;

import org.jspecify.annotations.NullMarked;
