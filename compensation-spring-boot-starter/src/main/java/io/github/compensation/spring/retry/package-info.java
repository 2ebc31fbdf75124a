/**
 * Retries of failing commands through Spring Framework's {@link org.springframework.core.retry.RetryTemplate}.
 */
@NullMarked
package io.github.compensation.spring.retry;

import org.jspecify.annotations.NullMarked;
