/**
 * Spring Boot auto-configuration of the Kafka transport.
 */
@NullMarked
package io.github.compensation.kafka.autoconfigure;

import org.jspecify.annotations.NullMarked;
