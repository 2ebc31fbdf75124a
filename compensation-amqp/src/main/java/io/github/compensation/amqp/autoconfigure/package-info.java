/**
 * Spring Boot auto-configuration of the RabbitMQ transport.
 */
@NullMarked
package io.github.compensation.amqp.autoconfigure;

import org.jspecify.annotations.NullMarked;
