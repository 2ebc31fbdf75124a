package io.github.compensation.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.Propagation;
import io.github.compensation.RollbackOnceFailed;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

/**
 * E3: misconfiguration fails the start, with a message that says what to change.
 */
class StartupFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TransactionAutoConfiguration.class,
                    CompensationAutoConfiguration.class))
            .withBean(PlatformTransactionManager.class, UnusedTransactionManager::new);

    /** Enough for Spring Boot to enable {@code @Transactional}; never asked for a transaction here. */
    static class UnusedTransactionManager implements PlatformTransactionManager {

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit(TransactionStatus status) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rollback(TransactionStatus status) {
            throw new UnsupportedOperationException();
        }
    }

    public static class ConflictingPropagation {

        @RollbackOnceFailed(propagation = Propagation.REQUIRES_NEW)
        @DispatchAfterCommit(propagation = Propagation.REQUIRED)
        public void work() {
        }
    }

    public static class InvalidRetry {

        @RollbackOnceFailed(attempts = -1)
        public void work() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement(order = 100)
    static class TransactionAdviceAtOrder100 {
    }

    private static Throwable mostSpecificCause(Throwable failure) {
        return NestedExceptionUtils.getMostSpecificCause(failure);
    }

    @Test
    void e3_t4_theDefaultAdviceOrderStartsAndIsChecked() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).as("a transaction advisor to check the order against")
                    .hasSingleBean(BeanFactoryTransactionAttributeSourceAdvisor.class);
        });
    }

    @Test
    void e3_t4_adviceOrderNotBeforeTheTransactionAdviceFailsStartupNamingTheProperty() {
        runner.withPropertyValues("compensation.advice-order=" + Ordered.LOWEST_PRECEDENCE).run(context -> {
            assertThat(context).hasFailed();
            assertThat(mostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("compensation.advice-order is " + Ordered.LOWEST_PRECEDENCE)
                    .hasMessageContaining("set compensation.advice-order to a value below " + Ordered.LOWEST_PRECEDENCE);
        });
    }

    @Test
    void e3_t4_adviceOrderIsCheckedAgainstTheApplicationsTransactionAdviceOrder() {
        ApplicationContextRunner ordered = runner.withUserConfiguration(TransactionAdviceAtOrder100.class);
        ordered.withPropertyValues("compensation.advice-order=150").run(context -> {
            assertThat(context).hasFailed();
            assertThat(mostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("set compensation.advice-order to a value below 100");
        });
        ordered.withPropertyValues("compensation.advice-order=50").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void e3_conflictingPropagationOnTheTwoAnnotationsFailsStartup() {
        runner.withBean(ConflictingPropagation.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(mostSpecificCause(context.getStartupFailure())).hasMessage("ConflictingPropagation.work declares"
                    + " propagation REQUIRES_NEW on @RollbackOnceFailed but REQUIRED on @DispatchAfterCommit: both"
                    + " annotations open one scope, so give them the same propagation");
        });
    }

    @Test
    void e3_r6_invalidGlobalMaxAttemptsFailsStartup() {
        runner.withPropertyValues("compensation.retry.max-attempts=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("Invalid compensation.retry.* setting: maxAttempts must be at least 1")
                    .hasStackTraceContaining("Use max-attempts >= 1");
        });
    }

    @Test
    void e3_r6_invalidAnnotationAttemptsFailStartup() {
        runner.withBean(InvalidRetry.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("Invalid retry on @RollbackOnceFailed of InvalidRetry.work:"
                            + " maxAttempts must be at least 1");
        });
    }
}
