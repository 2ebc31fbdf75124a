package io.github.compensation.amqp.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.compensation.amqp.RabbitMqServer;
import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.testsupport.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Messages through the journal's outbox to the real RabbitMQ server on localhost:5672 (clauses M2, M3, J3, J4): an
 * outbox row written in the business transaction, delivered after commit with the row's id as idempotency key, nothing
 * on a rollback, and a message whose broker was down at commit time delivered once the broker is back.
 */
class RabbitOutboxTest {

    static final String EXCHANGE = "compensation.test.outbox";
    static final String ROUTING_KEY = "trip.booked";
    static final String QUEUE = "compensation.test.outbox.booked";
    static final Destination TRIPS = Destination.rabbit(EXCHANGE, ROUTING_KEY);

    private static ConfigurableApplicationContext context;
    private static OutboxTrips trips;
    private static RabbitTemplate rabbit;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        RabbitMqServer.requireRunning();
        context = new SpringApplicationBuilder(OutboxApplication.class).properties(OutboxApplication.PROPERTIES)
                .run("--spring.datasource.url=jdbc:h2:mem:outbox;DB_CLOSE_DELAY=-1");
        trips = context.getBean(OutboxTrips.class);
        rabbit = context.getBean(RabbitTemplate.class);
        jdbc = context.getBean(JdbcTemplate.class);
        declareQueue(context.getBean(AmqpAdmin.class), QUEUE);
    }

    static void declareQueue(AmqpAdmin admin, String queueName) {
        DirectExchange exchange = new DirectExchange(EXCHANGE, false, false);
        Queue queue = new Queue(queueName, false, false, false);
        admin.declareExchange(exchange);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(ROUTING_KEY));
        admin.purgeQueue(queueName, false);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    private static Map<String, Object> row(JdbcTemplate jdbc, String id) {
        return jdbc.queryForMap("select status, attempts, ordering_key, last_error from compensation_command"
                + " where id = ?", id);
    }

    @Test
    void m2_m3_messageIsDeliveredAfterCommitWithItsOutboxRowsIdAsIdempotencyKey() {
        trips.book(TRIPS, "o1", false);

        Message message = rabbit.receive(QUEUE, 10_000);
        assertThat(message).as("message in " + QUEUE).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"tripId\":\"o1\"}");
        MessageProperties properties = message.getMessageProperties();
        String key = properties.getHeader(MessageHeaders.IDEMPOTENCY_KEY);
        assertThat(properties.getMessageId()).isEqualTo(key);
        assertThat(properties.<String>getHeader(MessageHeaders.MESSAGE_KEY)).isEqualTo("o1");
        assertThat(properties.<String>getHeader(MessageHeaders.PAYLOAD_TYPE))
                .isEqualTo(OutboxTrips.TripBooked.class.getName());
        assertThat(properties.<String>getHeader(MessageHeaders.SCOPE_ID)).isNotBlank();
        assertThat(properties.<String>getHeader("tenant")).isEqualTo("acme");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(row(jdbc, key))
                .as("the outbox row whose id the message carries").containsEntry("STATUS", "DONE")
                .containsEntry("ORDERING_KEY", "o1").containsEntry("ATTEMPTS", 1));
        assertThat(rabbit.receive(QUEUE, 500)).as("sent once").isNull();
    }

    @Test
    void m2_rollbackWritesNoOutboxRowAndSendsNothing() {
        int rows = jdbc.queryForObject("select count(*) from compensation_command", Integer.class);

        assertThatThrownBy(() -> trips.book(TRIPS, "o2", true)).hasMessage("payment declined");

        assertThat(trips.stored("o2")).isZero();
        assertThat(jdbc.queryForObject("select count(*) from compensation_command", Integer.class)).isEqualTo(rows);
        trips.book(TRIPS, "o3", false);
        Message first = rabbit.receive(QUEUE, 10_000);
        assertThat(first).isNotNull();
        assertThat(first.getMessageProperties().<String>getHeader(MessageHeaders.MESSAGE_KEY)).isEqualTo("o3");
    }

    @Test
    void m2_j3_messageWhoseBrokerIsDownAtCommitIsDeliveredOnceTheBrokerIsBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy(5672);
             ConfigurableApplicationContext cut = new SpringApplicationBuilder(OutboxApplication.class)
                     .properties(OutboxApplication.PROPERTIES)
                     .run("--spring.datasource.url=jdbc:h2:mem:outbox-down;DB_CLOSE_DELAY=-1",
                             "--spring.rabbitmq.port=" + proxy.port(), "--spring.rabbitmq.connection-timeout=1s")) {
            OutboxTrips offline = cut.getBean(OutboxTrips.class);
            JdbcTemplate offlineJdbc = cut.getBean(JdbcTemplate.class);

            offline.book(TRIPS, "o4", false);

            assertThat(offline.stored("o4")).as("the booking committed").isEqualTo(1);
            List<Map<String, Object>> rows = offlineJdbc.queryForList("select id, status, last_error from"
                    + " compensation_command where ordering_key = 'o4'");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0)).containsEntry("STATUS", "PENDING");
            assertThat((String) rows.get(0).get("LAST_ERROR")).contains("RabbitMQ did not take message");
            assertThat(rabbit.receive(QUEUE, 500)).as("nothing reached the broker").isNull();

            proxy.up();

            Message message = rabbit.receive(QUEUE, 20_000);
            assertThat(message).as("delivered by the worker once the broker is back").isNotNull();
            assertThat(message.getMessageProperties().<String>getHeader(MessageHeaders.IDEMPOTENCY_KEY))
                    .isEqualTo(rows.get(0).get("ID"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(row(offlineJdbc,
                    (String) rows.get(0).get("ID"))).containsEntry("STATUS", "DONE"));
        }
    }
}
