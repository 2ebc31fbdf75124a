package io.github.compensation.journal;

import io.github.compensation.Command;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.BiConsumer;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.util.ReflectionUtils;

/**
 * Builds the stand-ins returned by {@code append(FlightClient.class)}: the next call on one is recorded (target,
 * method, arguments as JSON with declared types) and handed on, instead of being made.
 */
final class CallRecorder {

    private CallRecorder() {
    }

    @SuppressWarnings("unchecked")
    static <T> T record(Class<T> type, @Nullable String beanName, CommandResolver resolver,
            BiConsumer<RecordedCall, Command> registration) {
        Object target = resolver.target(type, beanName);
        ProxyFactory factory = new ProxyFactory();
        if (type.isInterface()) {
            factory.addInterface(type);
        }
        else {
            if (Modifier.isFinal(type.getModifiers())) {
                throw new UnwritableCommandException("Cannot record calls on final class " + type.getName()
                        + ": use an interface it implements, or a named @CommandHandler", null);
            }
            factory.setTargetClass(type);
            factory.setProxyTargetClass(true);
        }
        boolean[] used = new boolean[1];
        factory.addAdvice((MethodInterceptor) invocation -> {
            Method method = invocation.getMethod();
            if (ReflectionUtils.isObjectMethod(method)) {
                return method.getName().equals("toString") ? "recorder of " + type.getName()
                        : method.getName().equals("hashCode") ? System.identityHashCode(invocation.getThis())
                        : Boolean.valueOf(invocation.getThis() == invocation.getArguments()[0]);
            }
            if (used[0]) {
                throw new IllegalStateException("A recorder returned by append(" + type.getSimpleName()
                        + ".class) records exactly one call; call append(...) again for the next command");
            }
            if (!Modifier.isPublic(method.getModifiers())) {
                throw new UnwritableCommandException("Cannot record " + method + ": durable commands call public"
                        + " methods", null);
            }
            Object[] args = invocation.getArguments().clone();
            String payload = resolver.codec().writeArguments(method, args);
            used[0] = true;
            RecordedCall call = new RecordedCall(type.getName(), beanName, method.getName(),
                    JsonCodec.parameterTypes(method), payload);
            Method invocable = type.isInstance(target) ? method : ReflectionUtils.findMethod(target.getClass(),
                    method.getName(), method.getParameterTypes());
            if (invocable == null) {
                throw new UnwritableCommandException("Bean " + target + " has no method " + method, null);
            }
            registration.accept(call, () -> CommandResolver.invoke(invocable, target, args));
            return defaultValue(method.getReturnType());
        });
        return (T) factory.getProxy(type.getClassLoader());
    }

    private static @Nullable Object defaultValue(Class<?> type) {
        if (!type.isPrimitive() || type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0.0f;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return (byte) 0;
    }
}
