package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.github.compensation.sample.report.ReportView;
import io.github.compensation.sample.trip.TripNotifications;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.beans.factory.annotation.Value;

/**
 * The {@code rabbit} profile end to end (clause M1): a booking over HTTP sends {@code TripBooked} to the RabbitMQ
 * server on localhost:5672 after commit, the dispatch is done once RabbitMQ confirmed it, and the sample's own
 * consumer records the notification. A refused payment sends nothing. Fails, saying how to start it, without RabbitMQ.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("rabbit")
class TripBookingOnRabbitEndToEndTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    TripNotifications notifications;

    @BeforeAll
    static void rabbitMqRuns() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        factory.setConnectionTimeout(5_000);
        try (Connection connection = factory.newConnection("sample-app tests")) {
            connection.getServerProperties();
        }
        catch (Exception unreachable) {
            fail("The rabbit profile needs a RabbitMQ server on localhost:5672 (guest/guest), and it cannot be reached ("
                    + unreachable + "). Start it with `rabbitmq-server -detached`.", unreachable);
        }
    }

    @Test
    void m1_bookingPublishesTripBookedToRabbitMqAfterCommitAndTheConsumerRecordsIt() {
        SampleHttp http = new SampleHttp(port);
        int before = notifications.findAll().size();

        ResponseEntity<Map<String, Object>> refused = http.post("/trips", """
                {"customer": "Ana Lima", "destination": "Lisbon", "fail": {"payments": "REFUSE"}}""");
        ResponseEntity<Map<String, Object>> booked = http.post("/trips", """
                {"customer": "Ana Lima", "destination": "Porto"}""");

        assertThat(refused.getStatusCode().value()).isEqualTo(502);
        assertThat(booked.getStatusCode().value()).isEqualTo(201);
        String bookingRef = (String) booked.getBody().get("bookingRef");
        ReportView report = http.report((String) booked.getBody().get("scope"));
        assertThat(report.commands()).filteredOn(command -> command.kind().equals("DISPATCH"))
                .singleElement().satisfies(command -> {
                    assertThat(command.status()).isEqualTo("DONE");
                    assertThat(command.description()).contains("rabbit exchange 'trips'", bookingRef);
                });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notifications.findAll())
                .hasSize(before + 1).last().satisfies(notification ->
                        assertThat(notification.bookingRef()).isEqualTo(bookingRef)));
    }
}
