package io.github.compensation.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Clause N3 with {@code @Async} on the executor Spring Boot configures: the caller's scope reaches the async thread
 * only with {@code compensation.async.propagate-scope=true}.
 */
class AsyncScopePropagationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withUserConfiguration(App.class);

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
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

    /**
     * Reserves hotels on an executor thread, registering the undo and the announcement in whatever scope it sees. A
     * proxy, for {@code @Async}: read its state through its methods.
     */
    static class Hotels {
        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        Hotels(RollbackCommands rollback, DispatchCommands dispatch) {
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        public List<String> calls() {
            return calls;
        }

        public List<Thread> threads() {
            return threads;
        }

        @Async
        public CompletableFuture<Void> reserve(String hotel) {
            threads.add(Thread.currentThread());
            calls.add("reserve " + hotel);
            rollback.append("cancel " + hotel, () -> calls.add("cancel " + hotel));
            dispatch.append("announce " + hotel, () -> calls.add("announce " + hotel));
            return CompletableFuture.completedFuture(null);
        }

        @Async
        public CompletableFuture<Void> reserveOnceReleased(String hotel, CountDownLatch release) throws Exception {
            release.await();
            return reserve(hotel);
        }
    }

    /** Opens the scope on the caller's thread. */
    static class Trips {
        final Hotels hotels;

        Trips(Hotels hotels) {
            this.hotels = hotels;
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        public void book(String hotel, boolean fail) {
            hotels.reserve(hotel).join();
            if (fail) {
                throw new IllegalStateException("payment declined");
            }
        }

        /** Returns without waiting, and hands the work out some other way than as its result. */
        @RollbackOnceFailed
        public void bookWithoutWaiting(String hotel, CountDownLatch release, List<CompletableFuture<Void>> handedOut)
                throws Exception {
            handedOut.add(hotels.reserveOnceReleased(hotel, release));
        }

        /** Returns the work still in progress: its scope follows the future (A1). */
        @RollbackOnceFailed
        @DispatchAfterCommit
        public CompletableFuture<Void> bookReturningTheFuture(String hotel, CountDownLatch release) throws Exception {
            return hotels.reserveOnceReleased(hotel, release);
        }
    }

    @Test
    void n3_asyncTaskRegistersInCallersScopeWhenPropagationEnabled() {
        runner.withPropertyValues("compensation.async.propagate-scope=true").run(context -> {
            Hotels hotels = context.getBean(Hotels.class);

            assertThatThrownBy(() -> context.getBean(Trips.class).book("ritz", true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("payment declined");

            assertThat(hotels.calls()).containsExactly("reserve ritz", "cancel ritz");
            assertThat(hotels.threads()).singleElement().isNotSameAs(Thread.currentThread());
        });
    }

    @Test
    void n3_asyncTaskDispatchesWithCallersScopeWhenPropagationEnabled() {
        runner.withPropertyValues("compensation.async.propagate-scope=true").run(context -> {
            Hotels hotels = context.getBean(Hotels.class);

            context.getBean(Trips.class).book("savoy", false);

            assertThat(hotels.calls()).containsExactly("reserve savoy", "announce savoy");
            assertThat(hotels.threads()).singleElement().isNotSameAs(Thread.currentThread());
        });
    }

    @Test
    void n3_asyncTaskSeesNoScopeWithoutPropagation() {
        runner.run(context -> {
            Hotels hotels = context.getBean(Hotels.class);

            assertThatThrownBy(() -> context.getBean(Trips.class).book("ritz", false))
                    .isInstanceOf(CompletionException.class)
                    .rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No compensation scope accepting rollback commands is open on thread")
                    .hasMessageContaining("annotate the calling method with @RollbackOnceFailed")
                    .hasMessageContaining("compensation.async.propagate-scope=true");

            assertThat(hotels.calls()).containsExactly("reserve ritz");
        });
    }

    @Test
    void n3_asyncTaskRegisteringAfterCallersScopeEndedIsRefused() {
        runner.withPropertyValues("compensation.async.propagate-scope=true").run(context -> {
            Hotels hotels = context.getBean(Hotels.class);
            CountDownLatch release = new CountDownLatch(1);

            List<CompletableFuture<Void>> handedOut = new CopyOnWriteArrayList<>();
            context.getBean(Trips.class).bookWithoutWaiting("ritz", release, handedOut);
            CompletableFuture<Void> late = handedOut.get(0);
            release.countDown();

            assertThatThrownBy(late::join)
                    .rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot register rollback command 'cancel ritz'")
                    .hasMessageContaining("Trips.bookWithoutWaiting has already ended;"
                            + " register commands while its method is still running");
            assertThat(hotels.calls()).containsExactly("reserve ritz");
        });
    }

    @Test
    void a1_n3_asyncTaskRegisteringAfterTheMethodReturnedReachesTheScopeItsReturnedFutureKeepsOpen() {
        runner.withPropertyValues("compensation.async.propagate-scope=true").run(context -> {
            Hotels hotels = context.getBean(Hotels.class);
            CountDownLatch release = new CountDownLatch(1);

            CompletableFuture<Void> booking = context.getBean(Trips.class).bookReturningTheFuture("ritz", release);
            assertThat(hotels.calls()).isEmpty();
            release.countDown();
            booking.join();

            assertThat(hotels.calls()).containsExactly("reserve ritz", "announce ritz");
        });
    }
}
