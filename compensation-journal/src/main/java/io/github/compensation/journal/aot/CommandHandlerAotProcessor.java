package io.github.compensation.journal.aot;

import io.github.compensation.journal.CommandHandler;
import java.lang.reflect.Method;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Registers, at build time, the hints that a bean's {@link CommandHandler} methods need in a native image (J1, J6):
 * the method, invoked reflectively with the stored payload, and binding hints for the payload's declared type, which
 * is read from JSON. Registered in {@code META-INF/spring/aot.factories}. Stateless.
 */
public final class CommandHandlerAotProcessor implements BeanRegistrationAotProcessor {

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
        Class<?> type = bean.getBeanClass();
        Set<Method> handlers = handlersOf(type);
        if (handlers.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> registerHints(generationContext.getRuntimeHints(), handlers);
    }

    /**
     * Registers the hints for the handler methods of a class.
     *
     * @param hints the hints to add to
     * @param type  a bean class
     */
    public static void registerHints(RuntimeHints hints, Class<?> type) {
        registerHints(hints, handlersOf(type));
    }

    private static void registerHints(RuntimeHints hints, Set<Method> handlers) {
        BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
        for (Method handler : handlers) {
            hints.reflection().registerMethod(handler, ExecutableMode.INVOKE);
            binding.registerReflectionHints(hints.reflection(), handler.getGenericParameterTypes());
        }
    }

    private static Set<Method> handlersOf(Class<?> type) {
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<CommandHandler>) method ->
                AnnotatedElementUtils.findMergedAnnotation(method, CommandHandler.class)).keySet();
    }
}
