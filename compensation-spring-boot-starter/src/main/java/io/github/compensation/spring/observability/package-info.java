/**
 * Observability of scopes and commands (clause O2): the scope id in the SLF4J MDC and the tracing context carried
 * into commands that run later, a Micrometer observation per scope, and meters for scopes, commands and work needing
 * attention.
 */
@NullMarked
package io.github.compensation.spring.observability;

import org.jspecify.annotations.NullMarked;
