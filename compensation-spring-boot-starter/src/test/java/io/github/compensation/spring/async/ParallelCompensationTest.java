package io.github.compensation.spring.async;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A3 in Spring Boot: {@code @RollbackOnceFailed(parallel = true)} on the executor {@code compensation.parallel.*} sets. */
class ParallelCompensationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class))
            .withBean(Cancellations.class);

    /** Three cancellations that can only finish when all three run at the same time. A proxy: read it by methods. */
    public static class Cancellations {

        private final List<String> threads = new CopyOnWriteArrayList<>();

        public List<String> threads() {
            return threads;
        }

        @RollbackOnceFailed(parallel = true)
        public void book(RollbackCommands rollback) {
            CountDownLatch together = new CountDownLatch(3);
            for (String partner : List.of("flight", "hotel", "car")) {
                rollback.append("cancel " + partner, () -> {
                    together.countDown();
                    if (!together.await(10, SECONDS)) {
                        throw new IllegalStateException("cancel " + partner + " ran alone");
                    }
                    threads.add(Thread.currentThread().getName());
                });
            }
            throw new IllegalStateException("car rental refused");
        }
    }

    @Test
    void a3_parallelScopeCompensatesConcurrentlyOnTheCompensationThreads() {
        runner.run(context -> {
            Cancellations cancellations = context.getBean(Cancellations.class);
            Throwable thrown = catchThrowable(() -> cancellations.book(context.getBean(RollbackCommands.class)));

            assertThat(thrown).hasMessage("car rental refused").hasNoSuppressedExceptions();
            assertThat(cancellations.threads()).hasSize(3)
                    .allSatisfy(thread -> assertThat(thread).startsWith("compensation-parallel-"));
        });
    }

    @Test
    void a3_e3_aConcurrencyLimitOfZeroFailsStartup() {
        runner.withPropertyValues("compensation.parallel.concurrency-limit=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining(
                    "Invalid compensation.parallel.concurrency-limit 0: use a positive number, or -1 for no limit");
        });
    }
}
