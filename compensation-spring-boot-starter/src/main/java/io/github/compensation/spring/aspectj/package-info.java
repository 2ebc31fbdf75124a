/**
 * The AspectJ front end, for applications that weave their classes with the AspectJ compiler so that calls through
 * {@code this} (self-invocations) open scopes too. Enabled with {@code compensation.mode=aspectj}.
 */
@NullMarked
package io.github.compensation.spring.aspectj;

import org.jspecify.annotations.NullMarked;
