/**
 * Messages to a broker as dispatch commands (clauses M1, M3). Application code builds a {@link
 * io.github.compensation.messaging.Message} for a {@link io.github.compensation.messaging.Destination} and hands it to
 * the {@link io.github.compensation.messaging.MessageDispatcher}; a broker module ({@code compensation-kafka},
 * {@code compensation-amqp}) provides the {@link io.github.compensation.messaging.MessageTransport} that sends it and
 * reports the broker's acknowledgement.
 */
@NullMarked
package io.github.compensation.messaging;

import org.jspecify.annotations.NullMarked;
