package io.github.compensation.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Clause N3 with Micrometer context propagation: once the starter registered its {@code ThreadLocalAccessor}
 * ({@code compensation.async.propagate-scope=true}), context snapshots carry the caller's scope to other threads.
 */
class ContextPropagationScopeTest {

    private final ExecutorService plainExecutor = Executors.newSingleThreadExecutor();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class))
            .withUserConfiguration(App.class)
            .withPropertyValues("compensation.async.propagate-scope=true");

    @AfterEach
    void stopExecutor() {
        plainExecutor.shutdownNow();
    }

    @Configuration(proxyBeanMethods = false)
    static class App {

        @Bean
        Hotels hotels(RollbackCommands rollback, DispatchCommands dispatch) {
            return new Hotels(rollback, dispatch);
        }

        @Bean
        Trips trips(Hotels hotels) {
            return new Trips(hotels);
        }
    }

    /** Work that registers commands in whatever scope its thread sees. */
    static class Hotels {
        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        Hotels(RollbackCommands rollback, DispatchCommands dispatch) {
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        void reserve(String hotel) {
            threads.add(Thread.currentThread());
            calls.add("reserve " + hotel);
            rollback.append("cancel " + hotel, () -> calls.add("cancel " + hotel));
            dispatch.append("announce " + hotel, () -> calls.add("announce " + hotel));
        }
    }

    /** Opens the scope, and hands work to another thread the way the test asks. */
    static class Trips {
        final Hotels hotels;

        Trips(Hotels hotels) {
            this.hotels = hotels;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        public void book(String hotel, ExecutorService executor, boolean wrapWithSnapshot, boolean fail) {
            Runnable reserve = () -> hotels.reserve(hotel);
            if (wrapWithSnapshot) {
                reserve = ContextSnapshotFactory.builder().build().captureAll().wrap(reserve);
            }
            CompletableFuture.runAsync(reserve, executor).join();
            if (fail) {
                throw new IllegalStateException("payment declined");
            }
        }

        @RollbackOnceFailed
        public Runnable prepareReservation(String hotel) {
            return ContextSnapshotFactory.builder().build().captureAll().wrap(() -> hotels.reserve(hotel));
        }
    }

    @Test
    void n3_contextSnapshotCarriesCallersScopeToAnotherThread() {
        runner.run(context -> {
            Hotels hotels = context.getBean(Hotels.class);

            assertThatThrownBy(() -> context.getBean(Trips.class).book("ritz", plainExecutor, true, true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("payment declined");

            assertThat(hotels.calls).containsExactly("reserve ritz", "cancel ritz");
            assertThat(hotels.threads).singleElement().isNotSameAs(Thread.currentThread());
        });
    }

    @Test
    void n3_contextExecutorServiceCarriesCallersScopeToItsThreads() {
        runner.run(context -> {
            Hotels hotels = context.getBean(Hotels.class);
            ExecutorService propagating = ContextExecutorService.wrap(plainExecutor,
                    ContextSnapshotFactory.builder().build());

            context.getBean(Trips.class).book("savoy", propagating, false, false);
            assertThatThrownBy(() -> context.getBean(Trips.class).book("ritz", propagating, false, true))
                    .hasMessage("payment declined");

            assertThat(hotels.calls).containsExactly("reserve savoy", "announce savoy", "reserve ritz", "cancel ritz");
            assertThat(hotels.threads).hasSize(2).doesNotContain(Thread.currentThread());
        });
    }

    @Test
    void n3_contextSnapshotUsedAfterItsScopeEndedIsRefused() {
        runner.run(context -> {
            Hotels hotels = context.getBean(Hotels.class);
            Runnable late = context.getBean(Trips.class).prepareReservation("ritz");

            assertThatThrownBy(() -> CompletableFuture.runAsync(late, plainExecutor).join())
                    .rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot register rollback command 'cancel ritz'")
                    .hasMessageContaining("Trips.prepareReservation has already ended;"
                            + " register commands while its method is still running");
            assertThat(hotels.calls).containsExactly("reserve ritz");
        });
    }

    @Test
    void n3_executorThreadIsLeftWithoutScopeAfterPropagatedTask() {
        runner.run(context -> {
            context.getBean(Trips.class).book("savoy", plainExecutor, true, false);

            CompletableFuture<Object> seen = CompletableFuture.supplyAsync(
                    io.github.compensation.support.Compensations::currentScope, plainExecutor);

            assertThat(seen.join()).isNull();
        });
    }
}
