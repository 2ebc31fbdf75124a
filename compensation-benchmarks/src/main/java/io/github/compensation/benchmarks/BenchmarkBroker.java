package io.github.compensation.benchmarks;

import java.util.Properties;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The RabbitMQ server case 8 sends to (localhost:5672, guest/guest, as in the project's tests), with one
 * {@link RabbitTemplate} that every variant sends through: correlated publisher confirms, returns, mandatory
 * publishing (what {@code compensation-amqp} requires). The benchmark declares a durable direct exchange and one
 * durable queue bound to it, which nobody consumes; it is emptied between iterations and deleted at the end.
 *
 * <p>Not thread-safe to set up and close; the template is thread-safe.
 */
final class BenchmarkBroker implements AutoCloseable {

    static final String EXCHANGE = "compensation-benchmarks";
    static final String ROUTING_KEY = "order.placed";
    private static final String QUEUE = "compensation-benchmarks.orders";

    private final Connections connections;
    private final RabbitTemplate template;
    private final RabbitAdmin admin;

    private BenchmarkBroker() {
        connections = new Connections();
        connections.setUsername("guest");
        connections.setPassword("guest");
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        connections.setChannelCacheSize(32);
        template = new RabbitTemplate(connections);
        template.setMandatory(true);
        admin = new RabbitAdmin(connections);
    }

    /**
     * Connects and declares the exchange and queue.
     *
     * @return the broker
     * @throws IllegalStateException when RabbitMQ cannot be reached, saying how to start it
     */
    static BenchmarkBroker connect() {
        BenchmarkBroker broker = new BenchmarkBroker();
        try {
            DirectExchange exchange = new DirectExchange(EXCHANGE, true, false);
            Queue queue = new Queue(QUEUE, true, false, false);
            broker.admin.declareExchange(exchange);
            broker.admin.declareQueue(queue);
            broker.admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(ROUTING_KEY));
            broker.admin.purgeQueue(QUEUE, false);
        }
        catch (RuntimeException unreachable) {
            broker.connections.shutDown();
            throw new IllegalStateException("Case 8 needs a RabbitMQ server on localhost:5672 (guest/guest), and it"
                    + " cannot be reached: start it with scripts/rabbitmq-for-tests.sh", unreachable);
        }
        return broker;
    }

    /** @return the template every variant sends through */
    RabbitTemplate template() {
        return template;
    }

    /** @return messages waiting in the queue */
    long queued() {
        Properties properties = admin.getQueueProperties(QUEUE);
        if (properties == null) {
            throw new IllegalStateException("queue " + QUEUE + " is gone");
        }
        return ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
    }

    /** Empties the queue. */
    void purge() {
        admin.purgeQueue(QUEUE, false);
    }

    /** Deletes the queue and the exchange and closes the connections. */
    @Override
    public void close() {
        try {
            admin.removeBinding(new Binding(QUEUE, Binding.DestinationType.QUEUE, EXCHANGE, ROUTING_KEY, null));
            admin.deleteQueue(QUEUE);
            admin.deleteExchange(EXCHANGE);
        }
        finally {
            connections.shutDown();
        }
    }

    /**
     * The connection factory, closed with the threads it keeps for closing channels later: outside a Spring context
     * {@code destroy()} leaves them running for a minute, and the benchmark's JVM cannot end before.
     */
    private static final class Connections extends CachingConnectionFactory {

        Connections() {
            super("localhost", 5672);
        }

        void shutDown() {
            destroy();
            getChannelsExecutor().shutdownNow();
        }
    }
}
