/**
 * Spring Boot auto-configuration and {@code compensation.*} properties.
 */
@NullMarked
package io.github.compensation.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
