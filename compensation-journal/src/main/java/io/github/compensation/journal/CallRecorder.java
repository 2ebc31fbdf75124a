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
 *
 * <p>One stand-in per recorded type, made once (a Spring AOP proxy) and shared: what a recording needs (the bean, the
 * registration to hand the call to) is kept for the calling thread until its one call arrives, so that recording a
 * call builds no proxy. A stand-in therefore records a call made on the thread that asked for it, right after
 * {@code append} and before the next {@code append} on that thread; any other call on it is refused. Thread-safe.
 */
final class CallRecorder {

    /** The recording the calling thread asked for last and has not made its call yet. */
    private static final ThreadLocal<@Nullable Recording> PENDING = new ThreadLocal<>();

    private static final ClassValue<Object> STAND_INS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return standIn(type);
        }
    };

    private CallRecorder() {
    }

    /** What one {@code append(...)} waits for: the call on its stand-in. */
    private record Recording(Class<?> type, @Nullable String beanName, CommandResolver resolver, Object target,
                             BiConsumer<RecordedCall, Command> registration) {
    }

    @SuppressWarnings("unchecked")
    static <T> T record(Class<T> type, @Nullable String beanName, CommandResolver resolver,
            BiConsumer<RecordedCall, Command> registration) {
        Object target = resolver.target(type, beanName);
        if (!type.isInterface() && Modifier.isFinal(type.getModifiers())) {
            throw new UnwritableCommandException("Cannot record calls on final class " + type.getName()
                    + ": use an interface it implements, or a named @CommandHandler", null);
        }
        T standIn = (T) STAND_INS.get(type);
        PENDING.set(new Recording(type, beanName, resolver, target, registration));
        return standIn;
    }

    private static Object standIn(Class<?> type) {
        ProxyFactory factory = new ProxyFactory();
        if (type.isInterface()) {
            factory.addInterface(type);
        }
        else {
            factory.setTargetClass(type);
            factory.setProxyTargetClass(true);
        }
        factory.addAdvice((MethodInterceptor) invocation -> {
            Method method = invocation.getMethod();
            if (ReflectionUtils.isObjectMethod(method)) {
                return method.getName().equals("toString") ? "recorder of " + type.getName()
                        : method.getName().equals("hashCode") ? System.identityHashCode(invocation.getThis())
                        : Boolean.valueOf(invocation.getThis() == invocation.getArguments()[0]);
            }
            Recording recording = PENDING.get();
            PENDING.remove();
            if (recording == null || recording.type() != type) {
                throw new IllegalStateException("A recorder returned by append(" + type.getSimpleName()
                        + ".class) records exactly one call, made on the same thread right after append; call"
                        + " append(...) again for the next command");
            }
            return recordCall(recording, method, invocation.getArguments());
        });
        return factory.getProxy(type.getClassLoader());
    }

    private static @Nullable Object recordCall(Recording recording, Method method, @Nullable Object[] arguments) {
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new UnwritableCommandException("Cannot record " + method + ": durable commands call public"
                    + " methods", null);
        }
        Object[] args = arguments.clone();
        String payload = recording.resolver().codec().writeArguments(method, args);
        Class<?> type = recording.type();
        RecordedCall call = new RecordedCall(type.getName(), recording.beanName(), method.getName(),
                JsonCodec.parameterTypes(method), payload);
        Object target = recording.target();
        Method invocable = type.isInstance(target) ? method : ReflectionUtils.findMethod(target.getClass(),
                method.getName(), method.getParameterTypes());
        if (invocable == null) {
            throw new UnwritableCommandException("Bean " + target + " has no method " + method, null);
        }
        recording.registration().accept(call, () -> CommandResolver.invoke(invocable, target, args));
        return defaultValue(method.getReturnType());
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
