/**
 * Messages to Apache Kafka (clauses M1, M3): the {@link io.github.compensation.kafka.KafkaMessageTransport} behind
 * {@link io.github.compensation.messaging.MessageDispatcher} for {@code Destination.kafka(topic)}.
 */
@NullMarked
package io.github.compensation.kafka;

import org.jspecify.annotations.NullMarked;
