package io.github.compensation.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.testsupport.TcpProxy;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/**
 * Messages through the journal's outbox to a real Kafka broker, the KRaft broker of {@code spring-kafka-test} in the
 * test JVM (clauses M2, M3, J3): delivered after commit with the outbox row's id as idempotency key, nothing on a
 * rollback, and a record whose broker could not be reached at commit time (a closed port in front of it) delivered
 * once the port is open.
 */
class KafkaOutboxTest {

    static final String TOPIC = "compensation.test.outbox";
    private static final Destination TRIPS = Destination.kafka(TOPIC);
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    static final String[] JOURNAL = {"compensation.journal.enabled=true", "compensation.journal.initialize-schema=true",
            "compensation.journal.poll-interval=100ms", "compensation.journal.lease=10s",
            "compensation.journal.backoff.delay=50ms", "compensation.journal.backoff.max-delay=500ms",
            "compensation.journal.dispatch.max-attempts=100"};

    private static EmbeddedKafkaBroker broker;
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);
        broker.afterPropertiesSet();
        context = application("kafka-outbox", broker.getBrokersAsString());
    }

    @AfterAll
    static void stop() {
        context.close();
        broker.destroy();
    }

    private static ConfigurableApplicationContext application(String database, String servers) {
        return new SpringApplicationBuilder(KafkaTestApplication.class).properties(KafkaTestApplication.PROPERTIES)
                .properties(JOURNAL)
                .run("--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
                        "--spring.kafka.bootstrap-servers=" + servers);
    }

    private static Consumer<String, byte[]> consumerAtTheEnd(EmbeddedKafkaBroker from) {
        Map<String, Object> settings = KafkaTestUtils.consumerProps(from, "compensation-outbox-tests", false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Consumer<String, byte[]> consumer = new KafkaConsumer<>(settings);
        consumer.assign(List.of(PARTITION));
        consumer.seekToEnd(List.of(PARTITION));
        consumer.position(PARTITION);
        return consumer;
    }

    private static List<ConsumerRecord<String, byte[]>> poll(Consumer<String, byte[]> consumer, int count,
            Duration within) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void m2_m3_recordIsDeliveredAfterCommitWithItsOutboxRowsIdAsIdempotencyKey() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        try (Consumer<String, byte[]> consumer = consumerAtTheEnd(broker)) {
            context.getBean(Bookings.class).book(TRIPS, List.of("k1"), false,
                    () -> consumer.poll(Duration.ZERO).isEmpty());

            List<ConsumerRecord<String, byte[]>> records = poll(consumer, 1, Duration.ofSeconds(20));
            assertThat(records).hasSize(1);
            ConsumerRecord<String, byte[]> record = records.get(0);
            assertThat(record.key()).isEqualTo("k1");
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"tripId\":\"k1\"}");
            String key = header(record, MessageHeaders.IDEMPOTENCY_KEY);
            assertThat(header(record, MessageHeaders.PAYLOAD_TYPE)).isEqualTo(TripBooked.class.getName());
            assertThat(header(record, MessageHeaders.SCOPE_ID)).isNotBlank();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForMap("select status,"
                    + " ordering_key from compensation_command where id = ?", key))
                    .as("the outbox row whose id the record carries").containsEntry("STATUS", "DONE")
                    .containsEntry("ORDERING_KEY", "k1"));
        }
    }

    @Test
    void m2_rollbackWritesNoOutboxRowAndSendsNothing() {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        int rows = jdbc.queryForObject("select count(*) from compensation_command", Integer.class);
        try (Consumer<String, byte[]> consumer = consumerAtTheEnd(broker)) {
            assertThatThrownBy(() -> context.getBean(Bookings.class).book(TRIPS, List.of("k2"), true, () -> true))
                    .hasMessage("payment declined");

            assertThat(jdbc.queryForObject("select count(*) from compensation_command", Integer.class))
                    .isEqualTo(rows);
            context.getBean(Bookings.class).book(TRIPS, List.of("k3"), false, () -> true);
            assertThat(poll(consumer, 1, Duration.ofSeconds(20))).extracting(ConsumerRecord::key)
                    .containsExactly("k3");
        }
    }

    @Test
    void m2_j3_recordWhoseBrokerIsUnreachableAtCommitIsDeliveredOnceItCanBeReached() throws IOException {
        int brokerPort = Integer.parseInt(broker.getBrokersAsString().split(",")[0].replaceAll(".*:", ""));
        try (TcpProxy proxy = new TcpProxy(brokerPort);
             ConfigurableApplicationContext cut = application("kafka-outbox-down", "localhost:" + proxy.port());
             Consumer<String, byte[]> consumer = consumerAtTheEnd(broker)) {
            JdbcTemplate jdbc = cut.getBean(JdbcTemplate.class);

            cut.getBean(Bookings.class).book(TRIPS, List.of("k4"), false, () -> true);

            assertThat(cut.getBean(Bookings.class).stored("k4")).as("the booking committed").isTrue();
            Map<String, Object> row = jdbc.queryForMap("select id, status, last_error from compensation_command"
                    + " where ordering_key = 'k4'");
            assertThat(row).containsEntry("STATUS", "PENDING");
            assertThat((String) row.get("LAST_ERROR")).contains("Kafka did not take message");
            assertThat(poll(consumer, 1, Duration.ofMillis(500))).as("nothing reached the broker").isEmpty();

            proxy.up();

            List<ConsumerRecord<String, byte[]>> records = poll(consumer, 1, Duration.ofSeconds(60));
            assertThat(records).as("delivered by the worker once the broker can be reached").hasSize(1);
            assertThat(header(records.get(0), MessageHeaders.IDEMPOTENCY_KEY)).isEqualTo(row.get("ID"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "select status from compensation_command where id = ?", String.class, row.get("ID")))
                    .isEqualTo("DONE"));
        }
    }

}
