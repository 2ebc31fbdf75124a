package io.github.compensation.reactor.autoconfigure;

import io.github.compensation.reactor.ReactiveDispatchCommands;
import io.github.compensation.reactor.ReactiveRollbackCommands;
import io.github.compensation.reactor.ReactorReturnAdapter;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Mono;

/**
 * Makes annotated methods that return {@code Mono}, {@code Flux} or another reactive type open one scope per
 * subscription (clause A2), and offers the reactive holders as beans. Present only with Reactor on the class path;
 * every bean backs off when the application defines its own.
 */
@AutoConfiguration(before = CompensationAutoConfiguration.class)
@ConditionalOnClass(Mono.class)
@ConditionalOnBooleanProperty(name = "compensation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CompensationReactorProperties.class)
public final class CompensationReactorAutoConfiguration {

    /**
     * The adapter, created with the advice's infrastructure (before the properties bean can be): its settings are
     * bound straight from the environment.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ReactorReturnAdapter compensationReactorReturnAdapter(Environment environment) {
        CompensationReactorProperties properties = Binder.get(environment)
                .bindOrCreate("compensation.reactive", CompensationReactorProperties.class);
        return new ReactorReturnAdapter(properties.cancellationPolicy());
    }

    @Bean
    @ConditionalOnMissingBean
    static ReactiveRollbackCommands reactiveRollbackCommands() {
        return ReactiveRollbackCommands.instance();
    }

    @Bean
    @ConditionalOnMissingBean
    static ReactiveDispatchCommands reactiveDispatchCommands() {
        return ReactiveDispatchCommands.instance();
    }
}
