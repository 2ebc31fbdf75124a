package io.github.compensation.spring.async;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/** A4: a return type the advice cannot follow fails the start, naming the method and saying what to change. */
class UnfollowableReturnTypeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class));

    public static class PlainFuture {

        @RollbackOnceFailed
        public Future<String> reserve() {
            return new FutureTask<>(() -> "F-1");
        }
    }

    public static class JdkPublisher {

        @DispatchAfterCommit
        public Flow.Publisher<String> reservations() {
            return subscriber -> { };
        }
    }

    /** A stage the advice could not hand back, since the caller would receive a plain CompletableFuture. */
    public static class OwnStage {

        @RollbackOnceFailed
        public MinimalStage reserve() {
            return new MinimalStage();
        }
    }

    static final class MinimalStage extends CompletableFuture<String> {
    }

    public static class Followable {

        @RollbackOnceFailed
        public CompletableFuture<String> reserve() {
            return CompletableFuture.completedFuture("F-1");
        }

        @RollbackOnceFailed
        public CompletionStage<String> reserveStage() {
            return CompletableFuture.completedFuture("F-1");
        }
    }

    @Test
    void a4_e3_aFutureThatIsNotACompletionStageFailsStartupNamingTheMethod() {
        runner.withBean(PlainFuture.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).hasMessage(
                    "PlainFuture.reserve returns java.util.concurrent.Future<java.lang.String>, a Future that is not a"
                            + " CompletionStage: the compensation advice cannot follow it, so its scope would settle"
                            + " before the work has ended (clause A4). Return a CompletableFuture (or"
                            + " CompletionStage), which the advice follows");
        });
    }

    @Test
    void a4_e3_aReactiveTypeWithoutTheReactorModuleFailsStartupSayingWhatToAdd() {
        runner.withBean(JdkPublisher.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageStartingWith("JdkPublisher.reservations returns"
                            + " java.util.concurrent.Flow$Publisher<java.lang.String>, a reactive type")
                    .hasMessageContaining("Add io.github.compensation:compensation-reactor");
        });
    }

    @Test
    void a4_e3_aCompletionStageSubtypeTheAdviceCannotHandBackFailsStartup() {
        runner.withBean(OwnStage.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageStartingWith("OwnStage.reserve returns")
                    .hasMessageContaining("Declare the return type as CompletionStage or CompletableFuture");
        });
    }

    @Test
    void a1_completableFutureAndCompletionStageStart() {
        runner.withBean(Followable.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Followable.class).reserve().join()).isEqualTo("F-1");
        });
    }
}
