package io.github.compensation.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.CommandKind;
import io.github.compensation.CommandReport;
import io.github.compensation.CommandStatus;
import io.github.compensation.Outcome;
import io.github.compensation.ScopeReport;
import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.MessageSendException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Messages to the real RabbitMQ server on localhost:5672 (guest/guest), sent by the {@code MessageDispatcher} after
 * commit without the journal (clauses M1, M3, D3). The server must be running: {@code .ci/run} starts it, and without
 * it these tests fail saying so.
 */
@SpringBootTest(classes = RabbitTestApplication.class, properties = {
        "spring.rabbitmq.host=localhost", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
        "spring.rabbitmq.password=guest", "spring.rabbitmq.publisher-confirm-type=correlated",
        "spring.rabbitmq.publisher-returns=true", "spring.datasource.url=jdbc:h2:mem:amqp;DB_CLOSE_DELAY=-1",
        "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:trips.sql",
        "spring.main.banner-mode=off"})
class RabbitMessagingTest {

    static final String EXCHANGE = "compensation.test.trips";
    static final String ROUTING_KEY = "trip.booked";
    static final String QUEUE = "compensation.test.trips.booked";
    private static final Destination TRIPS = Destination.rabbit(EXCHANGE, ROUTING_KEY);

    @Autowired
    Bookings bookings;

    @Autowired
    Reports reports;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    AmqpAdmin admin;

    @BeforeAll
    static void rabbitMqRuns() {
        RabbitMqServer.requireRunning();
    }

    @BeforeEach
    void emptyQueue() {
        DirectExchange exchange = new DirectExchange(EXCHANGE, false, false);
        Queue queue = new Queue(QUEUE, false, false, false);
        admin.declareExchange(exchange);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(ROUTING_KEY));
        admin.purgeQueue(QUEUE, false);
    }

    @Test
    void m1_m3_messageReachesTheQueueOnlyAfterCommitWithJsonAndTheHeaders() {
        bookings.book(TRIPS, List.of("t1"), false);

        ScopeReport report = reports.last();
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        CommandReport sent = report.commands().get(0);
        assertThat(sent.kind()).isEqualTo(CommandKind.DISPATCH);
        assertThat(sent.status()).as(report.render()).isEqualTo(CommandStatus.DONE);
        assertThat(sent.description()).isEqualTo("send TripBooked to " + TRIPS + ", key t1");
        Message message = rabbit.receive(QUEUE, 5_000);
        assertThat(message).as("message in " + QUEUE).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"tripId\":\"t1\"}");
        var properties = message.getMessageProperties();
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getMessageId()).isEqualTo(report.id() + ":1");
        assertThat(properties.<String>getHeader(MessageHeaders.IDEMPOTENCY_KEY)).isEqualTo(report.id() + ":1");
        assertThat(properties.<String>getHeader(MessageHeaders.SCOPE_ID)).isEqualTo(report.id());
        assertThat(properties.<String>getHeader(MessageHeaders.PAYLOAD_TYPE)).isEqualTo(TripBooked.class.getName());
        assertThat(properties.<String>getHeader(MessageHeaders.MESSAGE_KEY)).isEqualTo("t1");
    }

    @Test
    void m3_messagesOfOneScopeGoOutOldestFirstEachWithItsOwnIdempotencyKey() {
        bookings.book(TRIPS, List.of("t2", "t3"), false);

        String scopeId = reports.last().id();
        Message first = rabbit.receive(QUEUE, 5_000);
        Message second = rabbit.receive(QUEUE, 5_000);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(first.getMessageProperties().<String>getHeader(MessageHeaders.MESSAGE_KEY)).isEqualTo("t2");
        assertThat(first.getMessageProperties().getMessageId()).isEqualTo(scopeId + ":1");
        assertThat(second.getMessageProperties().<String>getHeader(MessageHeaders.MESSAGE_KEY)).isEqualTo("t3");
        assertThat(second.getMessageProperties().getMessageId()).isEqualTo(scopeId + ":2");
    }

    @Test
    void m1_d5_rollbackSendsNothing() {
        assertThatThrownBy(() -> bookings.book(TRIPS, List.of("t4"), true)).hasMessage("payment declined");
        assertThat(reports.last().commands().get(0).status()).isEqualTo(CommandStatus.DISCARDED);
        assertThat(bookings.stored("t4")).isFalse();

        // a booking that commits afterwards: its message must be the first one in the queue
        bookings.book(TRIPS, List.of("t5"), false);
        Message first = rabbit.receive(QUEUE, 5_000);
        assertThat(first).isNotNull();
        assertThat(first.getMessageProperties().<String>getHeader(MessageHeaders.MESSAGE_KEY)).isEqualTo("t5");
        assertThat(rabbit.receive(QUEUE)).isNull();
    }

    @Test
    void m1_d3_messageNoQueueTakesIsReturnedAndReportedFailedWhileTheCallCommits() {
        Destination nowhere = Destination.rabbit(EXCHANGE, "nobody.listens");

        bookings.book(nowhere, List.of("t6"), false);

        assertThat(bookings.stored("t6")).isTrue();
        ScopeReport report = reports.last();
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        CommandReport sent = report.commands().get(0);
        assertThat(sent.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(sent.error()).isInstanceOf(MessageSendException.class)
                .hasMessageContaining("RabbitMQ returned message " + report.id() + ":1")
                .hasMessageContaining("unroutable").hasMessageContaining("NO_ROUTE");
    }

    @Test
    void m1_d3_brokerDownAtCommitIsReportedFailedWhileTheCallCommits() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext down = new SpringApplicationBuilder(RabbitTestApplication.class)
                .properties(RabbitTestApplication.PROPERTIES)
                .run("--spring.rabbitmq.port=" + closedPort, "--spring.datasource.url=jdbc:h2:mem:amqp-down")) {
            Bookings offline = down.getBean(Bookings.class);
            Reports offlineReports = down.getBean(Reports.class);

            offline.bookWithoutLooking(TRIPS, "t7");

            assertThat(offline.stored("t7")).as("the booking committed").isTrue();
            ScopeReport report = offlineReports.last();
            assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
            assertThat(report.needsAttention()).isTrue();
            CommandReport sent = report.commands().get(0);
            assertThat(sent.status()).isEqualTo(CommandStatus.FAILED);
            assertThat(sent.error()).isInstanceOf(MessageSendException.class)
                    .hasMessageContaining("RabbitMQ did not take message " + report.id() + ":1")
                    .hasMessageContaining("Connection refused");
        }
    }
}
