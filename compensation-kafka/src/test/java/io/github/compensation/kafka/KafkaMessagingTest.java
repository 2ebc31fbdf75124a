package io.github.compensation.kafka;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Messages to a real Kafka broker, the KRaft broker of {@code spring-kafka-test} started once for this class in the
 * test JVM, sent by the {@code MessageDispatcher} after commit without the journal (clauses M1, M3, D3).
 */
@EmbeddedKafka(partitions = 1, topics = KafkaMessagingTest.TOPIC)
@SpringBootTest(classes = KafkaTestApplication.class, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.datasource.url=jdbc:h2:mem:kafka;DB_CLOSE_DELAY=-1", "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:trips.sql", "spring.main.banner-mode=off"})
class KafkaMessagingTest {

    static final String TOPIC = "compensation.test.trips";
    private static final Destination TRIPS = Destination.kafka(TOPIC);
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @Autowired
    Bookings bookings;

    @Autowired
    Reports reports;

    @Autowired
    EmbeddedKafkaBroker broker;

    private Consumer<String, byte[]> consumer;

    @BeforeEach
    void readFromTheEndOfTheTopic() {
        Map<String, Object> settings = KafkaTestUtils.consumerProps(broker, "compensation-tests", false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(settings);
        consumer.assign(List.of(PARTITION));
        consumer.seekToEnd(List.of(PARTITION));
        consumer.position(PARTITION);
    }

    @AfterEach
    void closeConsumer() {
        consumer.close();
    }

    @Test
    void m1_m3_recordReachesTheTopicOnlyAfterCommitWithKeyJsonAndTheHeaders() {
        bookings.book(TRIPS, List.of("t1"), false, this::topicHasNoNewRecord);

        ScopeReport report = reports.last();
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        CommandReport sent = report.commands().get(0);
        assertThat(sent.kind()).isEqualTo(CommandKind.DISPATCH);
        assertThat(sent.status()).as(report.render()).isEqualTo(CommandStatus.DONE);
        assertThat(sent.description()).isEqualTo("send TripBooked to kafka topic " + TOPIC + ", key t1");
        List<ConsumerRecord<String, byte[]>> records = poll(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo("t1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"tripId\":\"t1\"}");
        assertThat(header(record, MessageHeaders.IDEMPOTENCY_KEY)).isEqualTo(report.id() + ":1");
        assertThat(header(record, MessageHeaders.SCOPE_ID)).isEqualTo(report.id());
        assertThat(header(record, MessageHeaders.PAYLOAD_TYPE)).isEqualTo(TripBooked.class.getName());
        assertThat(header(record, KafkaMessageTransport.CONTENT_TYPE_HEADER)).isEqualTo("application/json");
    }

    @Test
    void m3_recordsOfOneScopeGoOutOldestFirstEachWithItsOwnIdempotencyKey() {
        bookings.book(TRIPS, List.of("t2", "t3"), false, this::topicHasNoNewRecord);

        String scopeId = reports.last().id();
        List<ConsumerRecord<String, byte[]>> records = poll(2);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("t2", "t3");
        assertThat(records).extracting(record -> header(record, MessageHeaders.IDEMPOTENCY_KEY))
                .containsExactly(scopeId + ":1", scopeId + ":2");
    }

    @Test
    void m1_d5_rollbackSendsNothing() {
        assertThatThrownBy(() -> bookings.book(TRIPS, List.of("t4"), true, this::topicHasNoNewRecord))
                .hasMessage("payment declined");
        assertThat(reports.last().commands().get(0).status()).isEqualTo(CommandStatus.DISCARDED);
        assertThat(bookings.stored("t4")).isFalse();

        // a booking that commits afterwards: its record must be the next one on the partition
        bookings.book(TRIPS, List.of("t5"), false, this::topicHasNoNewRecord);
        assertThat(poll(1)).extracting(ConsumerRecord::key).containsExactly("t5");
    }

    @Test
    void m1_d3_brokerDownAtCommitIsReportedFailedAfterTheSendTimeoutWhileTheCallCommits() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext down = new SpringApplicationBuilder(KafkaTestApplication.class)
                .properties(KafkaTestApplication.PROPERTIES)
                // arguments, since they win over the system properties the embedded broker sets
                .run("--spring.kafka.bootstrap-servers=localhost:" + closedPort,
                        "--spring.datasource.url=jdbc:h2:mem:kafka-down", "--compensation.messaging.send-timeout=2s")) {
            Bookings offline = down.getBean(Bookings.class);
            long started = System.nanoTime();

            offline.book(TRIPS, List.of("t6"), false, () -> true);

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(offline.stored("t6")).as("the booking committed").isTrue();
            ScopeReport report = down.getBean(Reports.class).last();
            assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
            CommandReport sent = report.commands().get(0);
            assertThat(sent.status()).isEqualTo(CommandStatus.FAILED);
            assertThat(sent.error()).isInstanceOf(MessageSendException.class)
                    .hasMessageContaining("Kafka did not take message " + report.id() + ":1")
                    .hasMessageContaining("2000 ms");
            assertThat(took).as("waited about the send timeout").isBetween(Duration.ofMillis(1_500),
                    Duration.ofSeconds(8));
        }
    }

    private boolean topicHasNoNewRecord() {
        return consumer.poll(Duration.ZERO).isEmpty();
    }

    private List<ConsumerRecord<String, byte[]>> poll(int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).as("records read from %s", TOPIC).hasSize(count);
        return records;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
