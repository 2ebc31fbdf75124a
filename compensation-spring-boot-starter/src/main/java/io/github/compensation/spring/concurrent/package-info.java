/**
 * Carrying a scope to other threads, on request: a {@link org.springframework.core.task.TaskDecorator} and a Micrometer
 * context-propagation accessor.
 */
@NullMarked
package io.github.compensation.spring.concurrent;

import org.jspecify.annotations.NullMarked;
