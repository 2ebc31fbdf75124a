/**
 * Spring Boot auto-configuration of the Reactor integration.
 */
@NullMarked
package io.github.compensation.reactor.autoconfigure;

import org.jspecify.annotations.NullMarked;
