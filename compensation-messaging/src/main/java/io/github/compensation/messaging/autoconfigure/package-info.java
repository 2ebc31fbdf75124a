/**
 * Spring Boot auto-configuration of the {@link io.github.compensation.messaging.MessageDispatcher}.
 */
@NullMarked
package io.github.compensation.messaging.autoconfigure;

import org.jspecify.annotations.NullMarked;
