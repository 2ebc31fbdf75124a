package io.github.compensation.amqp.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.compensation.amqp.RabbitMqServer;
import io.github.compensation.messaging.MessageHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Order per key across instances (M2, M3, J4): two instances of the application share one journal on embedded
 * PostgreSQL and send 10,000 messages over 100 keys to the real RabbitMQ server, each key's messages registered one
 * after the other, alternately by the two instances; 10% of the sends fail at random (half refused before the broker,
 * half with the acknowledgement lost after it). Every message arrives, each key's messages arrive in registration
 * order, and a message arrives twice only right after itself, with the same idempotency key.
 */
class OrderPerKeyTest {

    private static final String QUEUE = "compensation.test.outbox.ordered";
    private static final int KEYS = 100;
    private static final int PER_KEY = 100;
    private static final int SENDERS = 5;
    private static final int PER_TRANSACTION = 10;

    @Test
    void m2_tenThousandMessagesOverAHundredKeysFromTwoInstancesWithFailingSendsArriveInOrderPerKey()
            throws Exception {
        RabbitMqServer.requireRunning();
        String url = EmbeddedPostgresForTests.newDatabase("ordered");
        // the journal's tables are new and fill within seconds, faster than PostgreSQL's statistics follow: plan each
        // statement for the rows it meets rather than keep a generic plan made for an empty table
        String[] arguments = {"--spring.datasource.url=" + url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0",
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--spring.datasource.hikari.maximum-pool-size=24",
                "--test.failing-sends=0.1"};
        try (ConfigurableApplicationContext a = start("instance-a", arguments);
             ConfigurableApplicationContext b = start("instance-b", arguments)) {
            AmqpAdmin admin = a.getBean(AmqpAdmin.class);
            RabbitOutboxTest.declareQueue(admin, QUEUE);
            admin.declareBinding(new org.springframework.amqp.core.Binding(QUEUE,
                    org.springframework.amqp.core.Binding.DestinationType.QUEUE, RabbitOutboxTest.EXCHANGE,
                    "step", null));
            List<OutboxTrips> instances = List.of(a.getBean(OutboxTrips.class), b.getBean(OutboxTrips.class));
            var destination = io.github.compensation.messaging.Destination.rabbit(RabbitOutboxTest.EXCHANGE, "step");

            long started = System.nanoTime();
            List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
            // one consumer, prefetching: the queue's order is the order in which the broker took the messages
            JsonMapper json = JsonMapper.builder().build();
            var listener = new org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer(
                    a.getBean(org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
            listener.setQueueNames(QUEUE);
            listener.setPrefetchCount(500);
            listener.setMessageListener(message -> {
                Step step = json.readValue(message.getBody(), Step.class);
                received.add(new Received(step.key(), step.n(),
                        message.getMessageProperties().getHeader(MessageHeaders.IDEMPOTENCY_KEY)));
            });
            listener.start();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            List<Future<?>> sent = new ArrayList<>();
            for (int sender = 0; sender < SENDERS; sender++) {
                int first = sender * (KEYS / SENDERS);
                sent.add(senders.submit(() -> {
                    int transaction = 0;
                    for (int n = 0; n < PER_KEY; n++) {
                        for (int from = first; from < first + KEYS / SENDERS; from += PER_TRANSACTION) {
                            List<Step> steps = new ArrayList<>();
                            for (int key = from; key < Math.min(from + PER_TRANSACTION, first + KEYS / SENDERS);
                                    key++) {
                                steps.add(new Step("key-" + key, n));
                            }
                            instances.get(transaction++ % 2).send(destination, steps);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
            senders.shutdown();
            long sentMillis = (System.nanoTime() - started) / 1_000_000;

            JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc
                    .queryForObject("select count(*) from compensation_command where status <> 'DONE'",
                            Integer.class) == 0);
            assertThat(jdbc.queryForObject("select count(*) from compensation_command", Integer.class))
                    .isEqualTo(KEYS * PER_KEY);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> received.size() >= KEYS * PER_KEY + lostAcknowledgements(a, b));
            listener.stop();
            Map<String, List<Received>> byKey = new LinkedHashMap<>();
            new ArrayList<>(received).forEach(message -> byKey.computeIfAbsent(message.key(), k -> new ArrayList<>()).add(message));
            int duplicates = received.size() - KEYS * PER_KEY;
            FailingTransport failingA = a.getBean("failingTransport", FailingTransport.class);
            FailingTransport failingB = b.getBean("failingTransport", FailingTransport.class);
            int failures = failingA.refused.get() + failingB.refused.get();
            int lost = failingA.acknowledgementsLost.get() + failingB.acknowledgementsLost.get();
            String summary = String.format("%d messages received for %d sent, %d duplicates; injected: %d refused"
                    + " sends, %d lost acknowledgements; registered in %d ms", received.size(), KEYS * PER_KEY,
                    duplicates, failures, lost, sentMillis);
            System.out.println("[order per key] " + summary);

            assertThat(byKey).as(summary).hasSize(KEYS);
            for (Map.Entry<String, List<Received>> key : byKey.entrySet()) {
                List<Integer> order = new ArrayList<>();
                Map<Integer, String> idempotencyKeys = new HashMap<>();
                Received previous = null;
                for (Received message : key.getValue()) {
                    if (previous != null && previous.n() == message.n()) {
                        assertThat(message.idempotencyKey()).as("a duplicate of %s carries its idempotency key (%s)",
                                message, summary).isEqualTo(previous.idempotencyKey());
                    }
                    else {
                        order.add(message.n());
                    }
                    assertThat(idempotencyKeys.putIfAbsent(message.n(), message.idempotencyKey()))
                            .as("idempotency key of %s", message).isIn(null, message.idempotencyKey());
                    previous = message;
                }
                assertThat(order).as("messages of %s in the order they were registered, repeats collapsed (%s)",
                        key.getKey(), summary).isEqualTo(java.util.stream.IntStream.range(0, PER_KEY).boxed().toList());
            }
            assertThat(failures + lost).as("failures were injected: " + summary).isPositive();
        }
    }

    private static ConfigurableApplicationContext start(String instance, String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add("--compensation.journal.instance-id=" + instance);
        return new SpringApplicationBuilder(OutboxApplication.class).properties(OutboxApplication.PROPERTIES)
                .run(all.toArray(String[]::new));
    }

    private record Received(String key, int n, String idempotencyKey) {
    }

    private static int lostAcknowledgements(ConfigurableApplicationContext... instances) {
        int lost = 0;
        for (ConfigurableApplicationContext instance : instances) {
            lost += instance.getBean("failingTransport", FailingTransport.class).acknowledgementsLost.get();
        }
        return lost;
    }
}
