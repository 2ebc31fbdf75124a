package io.github.compensation.spring.autoconfigure;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.spi.ScopeExecutionListener;
import io.github.compensation.spi.ScopeListener;
import io.github.compensation.spi.TransactionBridge;
import io.github.compensation.support.LoggingScopeListener;
import io.github.compensation.spring.aop.AsyncReturnAdapter;
import io.github.compensation.spring.aop.CompensationAdvisor;
import io.github.compensation.spring.aop.CompletionStageReturnAdapter;
import io.github.compensation.spring.aop.CompensationAttributeSource;
import io.github.compensation.spring.aop.CompensationInterceptor;
import io.github.compensation.spring.aspectj.CompensationAspect;
import io.github.compensation.spring.concurrent.CompensationScopeTaskDecorator;
import io.github.compensation.spring.concurrent.CompensationScopeThreadLocalAccessor;
import io.github.compensation.spring.retry.RetryTemplateCommandRunner;
import io.github.compensation.spring.transaction.RollbackOnCommitFailureCustomizer;
import io.github.compensation.spring.transaction.SavepointCompensationListener;
import io.github.compensation.spring.transaction.SpringTransactionBridge;
import io.micrometer.context.ContextRegistry;
import java.util.ArrayList;
import java.util.List;
import org.aspectj.lang.Aspects;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.transaction.interceptor.TransactionAttributeSource;

/**
 * Auto-configures {@code @RollbackOnceFailed} and {@code @DispatchAfterCommit}: what opens scopes around annotated
 * methods (an advisor for Spring proxies, or with {@code compensation.mode=aspectj} the woven
 * {@link CompensationAspect}, never both), the injectable {@link RollbackCommands} and {@link DispatchCommands}, the
 * template with its Spring transaction bridge and {@code RetryTemplate}-based runner, and logging of scope reports.
 * Every bean backs off when the application defines its own of the same type. Switched off with
 * {@code compensation.enabled=false}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration")
@ConditionalOnBooleanProperty(name = "compensation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CompensationProperties.class)
public final class CompensationAutoConfiguration {

    private static final String ASPECTJ_RUNTIME = "org.aspectj.lang.Aspects";

    @Bean
    @ConditionalOnMissingBean
    static RollbackCommands rollbackCommands() {
        return Compensations.rollbackCommands();
    }

    @Bean
    @ConditionalOnMissingBean
    static DispatchCommands dispatchCommands() {
        return Compensations.dispatchCommands();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TransactionBridge compensationTransactionBridge() {
        return new SpringTransactionBridge();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CommandRunner compensationCommandRunner() {
        return new RetryTemplateCommandRunner();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LoggingScopeListener compensationLoggingScopeListener() {
        return new LoggingScopeListener();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CompensationTemplate compensationTemplate(CompensationProperties properties,
            TransactionBridge transactionBridge, CommandRunner commandRunner,
            ObjectProvider<ScopeListener> listeners, ObjectProvider<ScopeExecutionListener> executionListeners,
            ObjectProvider<CommandRunnerDecorator> runnerDecorators) {
        CommandRunner runner = commandRunner;
        for (CommandRunnerDecorator decorator : runnerDecorators.orderedStream().toList()) {
            runner = decorator.decorate(runner);
        }
        return CompensationTemplate.builder()
                .transactionBridge(transactionBridge)
                .commandRunner(runner)
                .defaultRetry(properties.retry().toSpec())
                .dispatchFailurePolicy(properties.dispatchFailurePolicy())
                .cleanupFailurePolicy(properties.cleanupFailurePolicy())
                .unknownOutcomePolicy(properties.unknownOutcomePolicy())
                .listeners(listeners.orderedStream().toList())
                .executionListeners(executionListeners.orderedStream().toList())
                .parallelExecutor(parallelExecutor(properties.parallel()))
                .build();
    }

    /**
     * A thread per command of a parallel scope (A3): virtual when asked and the JDK has them. Not a bean, so that it
     * never stands in for the application's own {@code Executor} (Spring Boot backs off its task executor when one
     * exists).
     */
    static SimpleAsyncTaskExecutor parallelExecutor(CompensationProperties.Parallel settings) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("compensation-parallel-");
        executor.setDaemon(true);
        if (settings.virtualThreads() && Runtime.version().feature() >= 21) {
            executor.setVirtualThreads(true);
        }
        if (settings.concurrencyLimit() > 0) {
            executor.setConcurrencyLimit(settings.concurrencyLimit());
        }
        return executor;
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CompensationAttributeSource compensationAttributeSource(Environment environment,
            ObjectProvider<AsyncReturnAdapter> returnAdapters) {
        List<AsyncReturnAdapter> adapters = new ArrayList<>();
        adapters.add(new CompletionStageReturnAdapter());
        returnAdapters.orderedStream().forEach(adapters::add);
        return new CompensationAttributeSource(earlyProperties(environment).retry().toSpec(), adapters);
    }

    /**
     * The properties, bound straight from the environment for the advice's infrastructure beans, which are created
     * with the bean post-processors: depending on the properties bean would create it too early for post-processing.
     */
    static CompensationProperties earlyProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate("compensation", CompensationProperties.class);
    }

    /**
     * {@code compensation.mode=proxy} (the default): an advisor opens the scopes around calls through Spring proxies,
     * as {@code @EnableTransactionManagement(mode = PROXY)} does for transactions.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "compensation.mode", havingValue = "proxy", matchIfMissing = true)
    @Import(AutoProxyRegistrar.class)
    static class ProxyModeConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static CompensationInterceptor compensationInterceptor(
                CompensationAttributeSource compensationAttributeSource,
                ObjectProvider<CompensationTemplate> compensationTemplate,
                ObjectProvider<TransactionAttributeSource> transactionAttributes) {
            // the template (with the journal's data source and the metrics' registry) is looked up at the first call
            return new CompensationInterceptor(compensationAttributeSource, compensationTemplate::getObject,
                    transactionAttributes.getIfUnique());
        }

        @Bean
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static CompensationAdvisor compensationAdvisor(CompensationAttributeSource compensationAttributeSource,
                CompensationInterceptor compensationInterceptor, Environment environment) {
            return new CompensationAdvisor(compensationAttributeSource, compensationInterceptor,
                    earlyProperties(environment).adviceOrder());
        }

        @Bean
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static AdviceOrderVerifier compensationAdviceOrderVerifier(Environment environment) {
            return new AdviceOrderVerifier(earlyProperties(environment).adviceOrder());
        }
    }

    /**
     * {@code compensation.mode=aspectj}: the application's classes are compiled with the AspectJ compiler and the
     * woven {@link CompensationAspect} opens the scopes, self-invocations included; no advisor is registered, so no
     * call gets two scopes. Like Spring's {@code AspectJTransactionManagementConfiguration}, it only configures the
     * aspect singleton.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "compensation.mode", havingValue = "aspectj")
    @ConditionalOnClass(name = ASPECTJ_RUNTIME)
    static class AspectJModeConfiguration {

        @Bean(destroyMethod = "reset")
        @ConditionalOnMissingBean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static CompensationAspect compensationAspect(CompensationAttributeSource compensationAttributeSource,
                CompensationTemplate compensationTemplate,
                ObjectProvider<TransactionAttributeSource> transactionAttributes) {
            CompensationAspect aspect = Aspects.aspectOf(CompensationAspect.class);
            aspect.configure(compensationAttributeSource, compensationTemplate, transactionAttributes.getIfUnique());
            return aspect;
        }
    }

    /** {@code compensation.mode=aspectj} without the AspectJ runtime: fails the start, saying what to change (E3). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "compensation.mode", havingValue = "aspectj")
    @ConditionalOnMissingClass(ASPECTJ_RUNTIME)
    static class AspectJRuntimeMissingConfiguration {

        AspectJRuntimeMissingConfiguration() {
            throw new IllegalStateException("compensation.mode=aspectj needs the AspectJ runtime, and classes compiled"
                    + " with the AspectJ compiler: add org.aspectj:aspectjrt, and weave with"
                    + " compensation-spring-boot-starter as an aspect library (see the README); or remove"
                    + " compensation.mode to use Spring proxies");
        }
    }

    /** Transaction-manager customization, present when Spring Boot's transaction support is. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TransactionManagerCustomizer.class)
    @ConditionalOnBooleanProperty(name = "compensation.transaction.rollback-on-commit-failure", matchIfMissing = true)
    static class TransactionManagerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static RollbackOnCommitFailureCustomizer compensationRollbackOnCommitFailureCustomizer() {
            return new RollbackOnCommitFailureCustomizer();
        }
    }

    /**
     * Savepoints of nested transactions take their compensations with them (S1). Spring Boot adds this listener to the
     * transaction managers it configures.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "compensation.transaction.follow-savepoints", matchIfMissing = true)
    static SavepointCompensationListener compensationSavepointListener(ObjectProvider<CompensationTemplate> template) {
        return new SavepointCompensationListener(template::getObject);
    }

    /** Carrying scopes to executor threads, on request. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("compensation.async.propagate-scope")
    static class AsyncPropagationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static CompensationScopeTaskDecorator compensationScopeTaskDecorator() {
            return new CompensationScopeTaskDecorator();
        }

        /** Registration with Micrometer's context propagation, present when it is on the classpath. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(ContextRegistry.class)
        static class ContextPropagationConfiguration {

            ContextPropagationConfiguration() {
                ContextRegistry registry = ContextRegistry.getInstance();
                registry.removeThreadLocalAccessor(CompensationScopeThreadLocalAccessor.KEY);
                registry.registerThreadLocalAccessor(new CompensationScopeThreadLocalAccessor());
            }
        }
    }

    /** Makes sure an auto-proxy creator exists, as {@code @EnableTransactionManagement} does. */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
