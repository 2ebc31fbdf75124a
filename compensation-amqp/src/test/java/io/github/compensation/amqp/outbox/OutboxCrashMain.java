package io.github.compensation.amqp.outbox;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs in a child JVM that the test kills with SIGKILL once it prints "POINT ...": the application books one trip,
 * commits, and stops dead in the send of its message, before the broker has it ({@code before-send}) or after the
 * broker confirmed it ({@code after-ack}). Arguments: JDBC URL, when.
 */
public final class OutboxCrashMain {

    private OutboxCrashMain() {
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxApplication.class)
                .properties(OutboxApplication.PROPERTIES)
                .run("--spring.datasource.url=" + args[0], "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--test.halt=" + args[1],
                        "--compensation.journal.instance-id=child", "--compensation.journal.lease=3s",
                        "--compensation.journal.poll-interval=500ms");
        context.getBean(OutboxTrips.class).book(RabbitOutboxTest.TRIPS, "crash-" + args[1], false);
        System.out.println("FINISHED without reaching the crash point");
        System.exit(3);
    }
}
