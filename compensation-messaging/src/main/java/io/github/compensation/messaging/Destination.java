package io.github.compensation.messaging;

import java.util.Objects;

/**
 * Where a message goes: a Kafka topic, or a RabbitMQ exchange with a routing key (clause M1). The kind of destination
 * chooses the broker, so an application that talks to both says which one each message is for.
 *
 * <p>Immutable and thread-safe. Names must not be {@code null} or blank (a RabbitMQ routing key may be empty).
 */
public sealed interface Destination permits Destination.KafkaTopic, Destination.RabbitExchange {

    /**
     * A Kafka topic.
     *
     * @param topic the topic's name
     * @return the destination
     */
    static KafkaTopic kafka(String topic) {
        return new KafkaTopic(topic);
    }

    /**
     * A RabbitMQ exchange and the routing key to publish with. Use the exchange {@code ""} (the default exchange) with
     * a queue's name as routing key to publish straight to that queue.
     *
     * @param exchange   the exchange's name
     * @param routingKey the routing key
     * @return the destination
     */
    static RabbitExchange rabbit(String exchange, String routingKey) {
        return new RabbitExchange(exchange, routingKey);
    }

    /**
     * A Kafka topic.
     *
     * @param topic the topic's name
     */
    record KafkaTopic(String topic) implements Destination {

        /**
         * Checks the name.
         *
         * @param topic the topic's name
         */
        public KafkaTopic {
            Objects.requireNonNull(topic, "topic must not be null");
            if (topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank");
            }
        }

        @Override
        public String toString() {
            return "kafka topic " + topic;
        }
    }

    /**
     * A RabbitMQ exchange and routing key.
     *
     * @param exchange   the exchange's name, {@code ""} for the default exchange
     * @param routingKey the routing key
     */
    record RabbitExchange(String exchange, String routingKey) implements Destination {

        /**
         * Checks the names.
         *
         * @param exchange   the exchange's name
         * @param routingKey the routing key
         */
        public RabbitExchange {
            Objects.requireNonNull(exchange, "exchange must not be null");
            Objects.requireNonNull(routingKey, "routingKey must not be null");
        }

        @Override
        public String toString() {
            return "rabbit exchange '" + exchange + "' routing key '" + routingKey + "'";
        }
    }
}
