package io.github.compensation.test.autoconfigure;

import io.github.compensation.journal.Journal;
import io.github.compensation.spring.autoconfigure.CommandRunnerDecorator;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import io.github.compensation.test.CompensationFaults;
import io.github.compensation.test.JournalRecovery;
import io.github.compensation.test.RecordedScopes;
import io.github.compensation.test.ScopeRecorder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Imported by {@link io.github.compensation.test.AutoConfigureCompensations}: records the application's scopes, offers
 * them per test, and arms faults in its transaction managers and command runner. Only in tests that ask for it; it is
 * not listed among the application's auto-configurations.
 */
@AutoConfiguration(before = CompensationAutoConfiguration.class,
        afterName = "io.github.compensation.journal.autoconfigure.JournalAutoConfiguration")
public final class CompensationTestAutoConfiguration {

    @Bean
    static ScopeRecorder compensationScopeRecorder() {
        return new ScopeRecorder();
    }

    @Bean
    static RecordedScopes compensationRecordedScopes(ScopeRecorder compensationScopeRecorder) {
        return compensationScopeRecorder.currentTest();
    }

    @Bean
    static CompensationFaults compensationFaults(ScopeRecorder compensationScopeRecorder) {
        return new CompensationFaults(compensationScopeRecorder);
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    static CommandRunnerDecorator compensationFaultsRunnerDecorator(ObjectProvider<CompensationFaults> faults) {
        return runner -> faults.getObject().decorate(runner);
    }

    @Bean
    static BeanPostProcessor compensationFaultsTransactionManagers(ObjectProvider<CompensationFaults> faults) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof PlatformTransactionManager manager ? faults.getObject().wrap(manager) : bean;
            }
        };
    }

    /** Crash and recovery with the journal, when the application uses it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Journal.class)
    static class JournalRecoveryConfiguration {

        @Bean
        @ConditionalOnBean(Journal.class)
        static JournalRecovery compensationJournalRecovery(Journal journal, CompensationFaults faults) {
            return new JournalRecovery(journal, faults);
        }
    }
}
