package io.github.compensation.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.aop.CompensationAdvisor;
import io.github.compensation.spring.aspectj.CompensationAspect;
import io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration;
import org.aspectj.lang.Aspects;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code compensation.mode}: either the proxy advisor or the woven aspect opens the scopes, never both. The woven
 * behaviour itself is proven in the {@code compensation-aspectj-test} module.
 */
class CompensationModeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CompensationAutoConfiguration.class))
            .withUserConfiguration(App.class);

    @Configuration(proxyBeanMethods = false)
    static class App {

        @Bean
        Bookings bookings() {
            return new Bookings();
        }
    }

    static class Bookings {

        @RollbackOnceFailed
        public void book() {
        }
    }

    @Test
    void proxyModeIsTheDefaultAndAdvisesAnnotatedBeansThroughProxies() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CompensationAdvisor.class).doesNotHaveBean(CompensationAspect.class);
            assertThat(AopUtils.isAopProxy(context.getBean(Bookings.class))).isTrue();
        });
    }

    @Test
    void aspectjModeConfiguresTheWovenAspectAndProxiesNothing() {
        runner.withPropertyValues("compensation.mode=aspectj").run(context -> {
            assertThat(context).doesNotHaveBean(CompensationAdvisor.class);
            assertThat(context.getBean(CompensationAspect.class))
                    .isSameAs(Aspects.aspectOf(CompensationAspect.class));
            assertThat(AopUtils.isAopProxy(context.getBean(Bookings.class))).isFalse();
        });
    }

    @Test
    void e3_aspectjModeWithoutTheAspectJRuntimeFailsAtStartupSayingWhatToAdd() {
        runner.withPropertyValues("compensation.mode=aspectj")
                .withClassLoader(new FilteredClassLoader("org.aspectj"))
                .run(context -> assertThat(context).getFailure()
                        .rootCause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("compensation.mode=aspectj needs the AspectJ runtime")
                        .hasMessageContaining("add org.aspectj:aspectjrt"));
    }

    @Test
    void e3_unknownModeFailsAtStartup() {
        runner.withPropertyValues("compensation.mode=weaving")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("Failed to bind properties under 'compensation.mode'"));
    }
}
