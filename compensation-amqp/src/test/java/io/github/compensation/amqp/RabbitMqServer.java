package io.github.compensation.amqp;

import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** The RabbitMQ server the tests need: localhost:5672, guest/guest. */
public final class RabbitMqServer {

    private RabbitMqServer() {
    }

    /** Fails the calling test, saying how to start the server, when it cannot be reached. */
    public static void requireRunning() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(5_000);
        try (Connection connection = factory.newConnection("compensation-amqp tests")) {
            connection.getServerProperties();
        }
        catch (Exception unreachable) {
            fail("These tests need a RabbitMQ server on localhost:5672 (user guest, password guest), and it cannot be"
                    + " reached (" + unreachable + "). Start it with `rabbitmq-server -detached` (as .ci/run does)"
                    + " and check it with `rabbitmq-diagnostics -q ping`.", unreachable);
        }
    }
}
