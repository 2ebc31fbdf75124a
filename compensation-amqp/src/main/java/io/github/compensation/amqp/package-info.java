/**
 * Messages to RabbitMQ (clauses M1, M3): the {@link io.github.compensation.amqp.RabbitMessageTransport} behind
 * {@link io.github.compensation.messaging.MessageDispatcher} for {@code Destination.rabbit(exchange, routingKey)}.
 */
@NullMarked
package io.github.compensation.amqp;

import org.jspecify.annotations.NullMarked;
