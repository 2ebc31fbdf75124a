/**
 * The proxy-based front end: annotations are read into cached {@link io.github.compensation.ScopeDefinition}s, and an
 * advisor runs each advised invocation through {@link io.github.compensation.support.CompensationTemplate}.
 */
@NullMarked
package io.github.compensation.spring.aop;

import org.jspecify.annotations.NullMarked;
