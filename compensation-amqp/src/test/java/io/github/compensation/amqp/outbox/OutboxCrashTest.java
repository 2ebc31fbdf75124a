package io.github.compensation.amqp.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.compensation.amqp.RabbitMqServer;
import io.github.compensation.messaging.MessageHeaders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A crash between commit and the broker's acknowledgement (M2, J3, J4): a child JVM books a trip, commits, and is
 * killed with SIGKILL in the send of its message, before the broker has it or once the broker confirmed it; another
 * instance (this JVM) delivers the message once the child's claim expires. Nothing is lost; a message the broker had
 * already taken arrives twice, with the same idempotency key.
 */
class OutboxCrashTest {

    @ParameterizedTest
    @ValueSource(strings = {"before-send", "after-ack"})
    void m2_j4_killedBetweenCommitAndAcknowledgementIsDeliveredByAnotherInstance(String when) throws Exception {
        RabbitMqServer.requireRunning();
        String url = EmbeddedPostgresForTests.newDatabase("crash_" + when.replace('-', '_'));
        String queue = "compensation.test.outbox.crash";
        try (ConfigurableApplicationContext survivor = new SpringApplicationBuilder(OutboxApplication.class)
                .properties(OutboxApplication.PROPERTIES)
                .run("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--compensation.journal.instance-id=survivor",
                        "--compensation.journal.worker=false")) {
            RabbitOutboxTest.declareQueue(survivor.getBean(org.springframework.amqp.core.AmqpAdmin.class), queue);
            RabbitTemplate rabbit = survivor.getBean(RabbitTemplate.class);
            JdbcTemplate jdbc = survivor.getBean(JdbcTemplate.class);

            String point = crash(url, when);

            String idempotencyKey = point.substring(point.lastIndexOf(' ') + 1);
            assertThat(jdbc.queryForObject("select count(*) from trips where id = ?", Integer.class, "crash-" + when))
                    .as("the booking committed").isEqualTo(1);
            assertThat(jdbc.queryForObject("select status from compensation_command where id = ?", String.class,
                    idempotencyKey)).as("the child's claim on the outbox row").isEqualTo("RUNNING");
            List<Message> before = receiveAll(rabbit, queue, 500);
            assertThat(before).as("reached the broker before the kill").hasSize(when.equals("after-ack") ? 1 : 0);

            var journal = survivor.getBean(io.github.compensation.journal.Journal.class);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                journal.dispatchDue();
                return "DONE".equals(jdbc.queryForObject("select status from compensation_command where id = ?",
                        String.class, idempotencyKey));
            });

            List<Message> all = new ArrayList<>(before);
            all.addAll(receiveAll(rabbit, queue, 2_000));
            System.out.printf("[killed %s] messages lost = %d, duplicates = %d%n", when, all.isEmpty() ? 1 : 0,
                    Math.max(0, all.size() - 1));
            assertThat(all).as("delivered after the kill, and once more when the broker had it already")
                    .hasSize(when.equals("after-ack") ? 2 : 1);
            assertThat(all).allSatisfy(message -> assertThat(message.getMessageProperties()
                    .<String>getHeader(MessageHeaders.IDEMPOTENCY_KEY)).isEqualTo(idempotencyKey));
        }
    }

    private static List<Message> receiveAll(RabbitTemplate rabbit, String queue, long firstWait) {
        List<Message> messages = new ArrayList<>();
        for (Message message = rabbit.receive(queue, firstWait); message != null; message = rabbit.receive(queue,
                200)) {
            messages.add(message);
        }
        return messages;
    }

    /** Starts the child, waits for its crash point, kills it with SIGKILL; @return the crash point's line */
    private static String crash(String url, String when) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), OutboxCrashMain.class.getName(), url, when)
                .redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<String> point = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.startsWith("POINT ")) {
                        point.complete(line);
                    }
                }
                point.completeExceptionally(new AssertionError("child ended without reaching its crash point:\n"
                        + output));
            }
            catch (java.io.IOException lost) {
                point.completeExceptionally(new AssertionError("lost the child's output:\n" + output));
            }
        });
        reader.setDaemon(true);
        reader.start();
        String reached;
        try {
            reached = point.get(120, TimeUnit.SECONDS);
        }
        finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return reached;
    }
}
