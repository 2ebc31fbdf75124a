package io.github.compensation.spring.autoconfigure;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchCommands;
import io.github.compensation.CleanupFailedException;
import io.github.compensation.CleanupFailurePolicy;
import io.github.compensation.DispatchFailurePolicy;
import io.github.compensation.RetrySpec;
import io.github.compensation.RollbackCommands;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.UnknownOutcomePolicy;
import io.github.compensation.support.LoggingScopeListener;
import io.github.compensation.spring.aop.CompensationAdvisor;
import io.github.compensation.spring.aop.CompensationAttributeSource;
import io.github.compensation.spring.aop.CompensationInterceptor;
import io.github.compensation.spring.concurrent.CompensationScopeTaskDecorator;
import io.github.compensation.spring.retry.RetryTemplateCommandRunner;
import io.github.compensation.spring.transaction.RollbackOnCommitFailureCustomizer;
import io.github.compensation.spring.transaction.SpringTransactionBridge;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.task.TaskDecorator;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * The auto-configuration's conditions and properties, with {@link ApplicationContextRunner}: what it defines by
 * default, what switches it off, how properties reach the beans, and that every bean it defines backs off when the
 * application defines its own (checked for every {@code @Bean} method found by reflection, so that a bean added later
 * without back-off fails here).
 */
class CompensationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class));

    @Test
    void definesTheAdviceAndItsCollaboratorsByDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(CompensationAdvisor.class).hasSingleBean(CompensationInterceptor.class)
                    .hasSingleBean(CompensationAttributeSource.class).hasSingleBean(CompensationTemplate.class)
                    .hasSingleBean(RollbackCommands.class).hasSingleBean(DispatchCommands.class)
                    .hasSingleBean(AdviceOrderVerifier.class).hasSingleBean(LoggingScopeListener.class)
                    .hasSingleBean(RollbackOnCommitFailureCustomizer.class)
                    .doesNotHaveBean(TaskDecorator.class);
            assertThat(context.getBean(TransactionBridge.class)).isInstanceOf(SpringTransactionBridge.class);
            assertThat(context.getBean(CommandRunner.class)).isInstanceOf(RetryTemplateCommandRunner.class);
            assertThat(context.getBean(CompensationAdvisor.class).getOrder())
                    .isEqualTo(Ordered.LOWEST_PRECEDENCE - 100);
            CompensationProperties properties = context.getBean(CompensationProperties.class);
            assertThat(properties.retry().toSpec()).isEqualTo(new RetrySpec(1, Duration.ZERO, 1.0, Duration.ofSeconds(30)));
            assertThat(properties.dispatchFailurePolicy()).isEqualTo(DispatchFailurePolicy.LOG);
            assertThat(properties.cleanupFailurePolicy()).isEqualTo(CleanupFailurePolicy.LOG);
            assertThat(properties.unknownOutcomePolicy()).isEqualTo(UnknownOutcomePolicy.REPORT);
        });
    }

    @Test
    void enabledFalseDefinesNoAdvisorAndNoOtherBean() {
        runner.withPropertyValues("compensation.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CompensationAdvisor.class).doesNotHaveBean(CompensationInterceptor.class)
                    .doesNotHaveBean(CompensationTemplate.class).doesNotHaveBean(RollbackCommands.class)
                    .doesNotHaveBean(DispatchCommands.class).doesNotHaveBean(CompensationProperties.class)
                    .doesNotHaveBean(RollbackOnCommitFailureCustomizer.class);
        });
    }

    @Test
    void propertiesReachTheBeans() {
        runner.withPropertyValues("compensation.advice-order=5", "compensation.retry.max-attempts=3",
                "compensation.retry.delay=100ms", "compensation.retry.multiplier=2", "compensation.retry.max-delay=1s",
                "compensation.dispatch-failure-policy=propagate", "compensation.unknown-outcome-policy=compensate",
                "compensation.cleanup-failure-policy=propagate")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(CompensationAdvisor.class).getOrder()).isEqualTo(5);
                    CompensationProperties properties = context.getBean(CompensationProperties.class);
                    assertThat(properties.retry().toSpec()).isEqualTo(
                            new RetrySpec(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)));
                    assertThat(properties.dispatchFailurePolicy()).isEqualTo(DispatchFailurePolicy.PROPAGATE);
                    assertThat(properties.cleanupFailurePolicy()).isEqualTo(CleanupFailurePolicy.PROPAGATE);
                    assertThat(properties.unknownOutcomePolicy()).isEqualTo(UnknownOutcomePolicy.COMPENSATE);
                });
    }

    @Test
    void r9_cleanupFailurePolicyPropertyDecidesWhetherTheCallerOfACommittedScopeHearsOfAFailedCleanup() {
        runner.withPropertyValues("compensation.cleanup-failure-policy=propagate").run(context -> {
            CompensationTemplate template = context.getBean(CompensationTemplate.class);
            assertThatThrownBy(() -> template.execute("Locks.release", () -> {
                Compensations.rollbackCommands().appendCleanup("release lock", () -> {
                    throw new IllegalStateException("lock server gone");
                });
                return "done";
            })).isInstanceOf(CleanupFailedException.class).hasMessageContaining("1 cleanup command(s) failed");
        });
        runner.run(context -> assertThat(context.getBean(CompensationTemplate.class).execute("Locks.release", () -> {
            Compensations.rollbackCommands().appendCleanup("release lock", () -> {
                throw new IllegalStateException("lock server gone");
            });
            return "done";
        })).isEqualTo("done"));
    }

    @Test
    void propagateScopeRegistersTheTaskDecorator() {
        runner.withPropertyValues("compensation.async.propagate-scope=true").run(context ->
                assertThat(context).hasSingleBean(CompensationScopeTaskDecorator.class));
    }

    @Test
    void scopeTaskDecoratorCoexistsWithTheApplicationsOwnTaskDecorator() {
        runner.withPropertyValues("compensation.async.propagate-scope=true")
                .withBean("mdcTaskDecorator", TaskDecorator.class, () -> runnable -> runnable)
                .run(context -> assertThat(context.getBeansOfType(TaskDecorator.class))
                        .containsOnlyKeys("mdcTaskDecorator", "compensationScopeTaskDecorator"));
    }

    @Test
    void rollbackOnCommitFailureCanBeSwitchedOff() {
        runner.withPropertyValues("compensation.transaction.rollback-on-commit-failure=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RollbackOnCommitFailureCustomizer.class);
        });
    }

    @Test
    void withoutSpringBootTransactionSupportTheCustomizerIsLeftOut() {
        runner.withClassLoader(new FilteredClassLoader(TransactionManagerCustomizer.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(CompensationAdvisor.class)
                    .doesNotHaveBean(RollbackOnCommitFailureCustomizer.class);
        });
    }

    @Test
    void t2_bootConfiguredTransactionManagersRollBackWhenTheirCommitFails() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class,
                TransactionManagerCustomizationAutoConfiguration.class, TransactionAutoConfiguration.class))
                .run(context -> assertThat(context.getBean(AbstractPlatformTransactionManager.class)
                        .isRollbackOnCommitFailure()).isTrue());
    }

    @Test
    void transactionManagersDefinedByTheApplicationAreLeftAlone() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class,
                TransactionManagerCustomizationAutoConfiguration.class, TransactionAutoConfiguration.class))
                .withUserConfiguration(OwnTransactionManager.class)
                .run(context -> assertThat(context.getBean(AbstractPlatformTransactionManager.class)
                        .isRollbackOnCommitFailure()).isFalse());
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTransactionManager {

        @Bean
        DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }

    // --- back-off, resilience4j style -----------------------------------------------------------------------------

    /**
     * A bean method of the auto-configuration: the bean's name and type, and the properties its configuration class
     * is conditional on (read from {@code @ConditionalOnProperty} / {@code @ConditionalOnBooleanProperty}).
     */
    record AutoConfiguredBean(String name, Class<?> type, List<String> properties) {
    }

    @Test
    void everyAutoConfiguredBeanBacksOffWhenTheApplicationDefinesOneOfItsType() throws Exception {
        List<Class<?>> configurations = ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
                .getCandidates().stream().filter(name -> name.startsWith("io.github.compensation."))
                .map(CompensationAutoConfigurationTest::load).toList();
        assertThat(configurations).as("auto-configurations of the starter").hasSizeGreaterThanOrEqualTo(4);
        List<AutoConfiguredBean> beans = configurations.stream().flatMap(type -> beanMethods(type).stream()).toList();
        assertThat(beans).extracting(AutoConfiguredBean::name).as("bean methods found by reflection").contains(
                "rollbackCommands", "dispatchCommands", "compensationTransactionBridge", "compensationCommandRunner",
                "compensationLoggingScopeListener", "compensationTemplate", "compensationAttributeSource",
                "compensationInterceptor", "compensationAdvisor", "compensationAdviceOrderVerifier",
                "compensationRollbackOnCommitFailureCustomizer", "compensationScopeTaskDecorator",
                "compensationAspect", "compensationScopeStore", "compensationScopeContextListener",
                "compensationScopeContextRunnerDecorator", "compensationMetrics",
                "compensationScopeObservationListener", "compensationsEndpoint", "compensationSavepointListener");
        WebApplicationContextRunner all = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(configurations.toArray(Class<?>[]::new)))
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withPropertyValues("management.endpoints.web.exposure.include=compensations");
        for (AutoConfiguredBean bean : beans) {
            WebApplicationContextRunner everything = all.withPropertyValues(bean.properties().toArray(String[]::new));
            everything.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.containsBean(bean.name())).as("%s is defined without a user bean", bean).isTrue();
            });
            String userBeanName = "users" + Character.toUpperCase(bean.name().charAt(0)) + bean.name().substring(1);
            Object userBean = userInstanceOf(bean.type());
            everything.withBean(userBeanName, castType(bean.type()), () -> userBean).run(context -> {
                assertThat(context).as("context with a user-defined %s", bean.type().getName()).hasNotFailed();
                Map<String, ?> ofType = context.getBeansOfType(bean.type());
                assertThat(ofType).as("beans of type %s: the auto-configured '%s' must back off",
                        bean.type().getName(), bean.name()).containsOnlyKeys(userBeanName);
                assertThat(ofType.get(userBeanName)).isSameAs(userBean);
            });
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        }
        catch (ClassNotFoundException missing) {
            throw new IllegalStateException("listed in AutoConfiguration.imports but missing: " + name, missing);
        }
    }

    private static List<AutoConfiguredBean> beanMethods(Class<?> configuration) {
        return beanMethods(configuration, List.of());
    }

    private static List<AutoConfiguredBean> beanMethods(Class<?> configuration, List<String> inherited) {
        List<String> properties = new ArrayList<>(inherited);
        ConditionalOnProperty onProperty = configuration.getAnnotation(ConditionalOnProperty.class);
        if (onProperty != null && !onProperty.havingValue().isEmpty()) {
            for (String name : onProperty.name().length > 0 ? onProperty.name() : onProperty.value()) {
                properties.add(onProperty.prefix() + name + "=" + onProperty.havingValue());
            }
        }
        ConditionalOnBooleanProperty onBoolean = configuration.getAnnotation(ConditionalOnBooleanProperty.class);
        if (onBoolean != null) {
            for (String name : onBoolean.name().length > 0 ? onBoolean.name() : onBoolean.value()) {
                properties.add(onBoolean.prefix() + name + "=" + onBoolean.havingValue());
            }
        }
        List<AutoConfiguredBean> beans = new ArrayList<>();
        for (Method method : configuration.getDeclaredMethods()) {
            Bean bean = AnnotatedElementUtils.findMergedAnnotation(method, Bean.class);
            if (bean != null) {
                String name = bean.name().length > 0 ? bean.name()[0] : method.getName();
                beans.add(new AutoConfiguredBean(name, method.getReturnType(), properties));
            }
        }
        for (Class<?> nested : configuration.getDeclaredClasses()) {
            if (AnnotatedElementUtils.hasAnnotation(nested, Configuration.class)) {
                beans.addAll(beanMethods(nested, properties));
            }
        }
        return beans;
    }

    /**
     * What an application might define instead: a mock, or a working advisor or runner decorator (mocks of those would
     * break proxying or the template).
     */
    private static Object userInstanceOf(Class<?> type) {
        if (Advisor.class.isAssignableFrom(type)) {
            CompensationAttributeSource source = new CompensationAttributeSource(RetrySpec.ONCE);
            return new CompensationAdvisor(source, new CompensationInterceptor(source, new CompensationTemplate()), 0);
        }
        if (CommandRunnerDecorator.class.isAssignableFrom(type)) {
            return BeanUtils.instantiateClass(type);
        }
        return mock(type);
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> castType(Class<?> type) {
        return (Class<T>) type;
    }
}
