package io.github.compensation.messaging.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Checks that every bean an auto-configuration defines backs off when the application defines one of its type, found
 * by reflection so that a bean added later without {@code @ConditionalOnMissingBean} fails the check (the starter's
 * {@code CompensationAutoConfigurationTest} does the same for its beans).
 */
public final class AutoConfiguredBeans {

    private AutoConfiguredBeans() {
    }

    /**
     * The bean methods of a configuration class and of its nested configuration classes.
     *
     * @param configuration the class
     * @return name and type of each bean
     */
    public static List<Map.Entry<String, Class<?>>> of(Class<?> configuration) {
        List<Map.Entry<String, Class<?>>> beans = new ArrayList<>();
        for (Method method : configuration.getDeclaredMethods()) {
            Bean bean = AnnotatedElementUtils.findMergedAnnotation(method, Bean.class);
            if (bean != null) {
                beans.add(Map.entry(bean.name().length > 0 ? bean.name()[0] : method.getName(),
                        method.getReturnType()));
            }
        }
        for (Class<?> nested : configuration.getDeclaredClasses()) {
            if (AnnotatedElementUtils.hasAnnotation(nested, Configuration.class)) {
                beans.addAll(of(nested));
            }
        }
        return beans;
    }

    /**
     * For each bean of the configuration: the runner defines it, and with a user bean (a mock) of its type, only the
     * user bean is there.
     *
     * @param runner        a runner in which every bean of the configuration is defined
     * @param configuration the auto-configuration class
     * @param expected      the names of the beans that must be found, at least
     */
    public static void backOff(ApplicationContextRunner runner, Class<?> configuration, String... expected) {
        List<Map.Entry<String, Class<?>>> beans = of(configuration);
        assertThat(beans).extracting(Map.Entry::getKey).as("bean methods of %s", configuration.getSimpleName())
                .contains(expected);
        for (Map.Entry<String, Class<?>> bean : beans) {
            runner.run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.containsBean(bean.getKey())).as("%s is defined without a user bean", bean)
                        .isTrue();
            });
            Object userBean = mock(bean.getValue());
            runner.withBean("usersBean", castType(bean.getValue()), () -> userBean).run(context -> {
                assertThat(context).hasNotFailed();
                Map<String, ?> ofType = context.getBeansOfType(bean.getValue());
                assertThat(ofType).as("beans of type %s: the auto-configured '%s' must back off",
                        bean.getValue().getName(), bean.getKey()).containsOnlyKeys("usersBean");
                assertThat(ofType.get("usersBean")).isSameAs(userBean);
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> castType(Class<?> type) {
        return (Class<T>) type;
    }
}
