package io.github.compensation.journal;

import io.github.compensation.Command;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Turns stored calls back into commands, and checks new ones at registration (clauses J1, J6): bean calls are
 * resolved against the {@link BeanFactory}, named handlers against the {@link CommandHandlerRegistry}. Thread-safe.
 */
public class CommandResolver {

    private final BeanFactory beans;
    private final CommandHandlerRegistry handlers;
    private final JsonCodec codec;

    /**
     * @param beans    where bean calls find their targets
     * @param handlers the named handlers
     * @param codec    the JSON codec
     */
    public CommandResolver(BeanFactory beans, CommandHandlerRegistry handlers, JsonCodec codec) {
        this.beans = beans;
        this.handlers = handlers;
        this.codec = codec;
    }

    JsonCodec codec() {
        return codec;
    }

    /**
     * The bean a new call targets, found at registration so that a missing bean fails in the caller.
     *
     * @param type     the declared type
     * @param beanName the bean's name, or {@code null} to find it by type
     * @return the bean
     * @throws UnwritableCommandException when there is no such bean, or several
     */
    public Object target(Class<?> type, @Nullable String beanName) {
        try {
            return beanName == null ? beans.getBean(type) : beans.getBean(beanName, type);
        }
        catch (BeansException failure) {
            throw new UnwritableCommandException("Cannot record a durable call on " + type.getName()
                    + (beanName == null ? "" : " named '" + beanName + "'") + ": " + failure.getMessage()
                    + ". Durable commands call Spring beans, so that they can be called again after a restart",
                    failure);
        }
    }

    /**
     * A named handler, found at registration so that an unknown name fails in the caller.
     *
     * @param name the handler's name
     * @return the registration
     */
    public CommandHandlerRegistry.Registration handler(String name) {
        CommandHandlerRegistry.Registration registration = handlers.find(name);
        if (registration == null) {
            throw new UnwritableCommandException("No command handler named '" + name + "': annotate a bean method"
                    + " with @CommandHandler(\"" + name + "\") or register one with CommandHandlerRegistry", null);
        }
        return registration;
    }

    /**
     * Reads a stored call back into a command.
     *
     * @param call the stored call
     * @return the command, ready to run
     * @throws UnreadableCommandException when it cannot be read back: the reason it is parked with
     */
    public Command resolve(RecordedCall call) {
        if (call.isHandler()) {
            CommandHandlerRegistry.Registration registration = handlers.find(call.method());
            if (registration == null) {
                throw new UnreadableCommandException("No command handler named '" + call.method()
                        + "' exists any more (removed or renamed in a redeploy?)");
            }
            Object payload = codec.readPayload(registration.payloadType(), call.payload(), call.describe());
            if (payload == null) {
                throw new UnreadableCommandException("The payload of " + call.describe() + " is null");
            }
            if (registration.handler() instanceof CommandHandlerRegistry.Asynchronous asynchronous) {
                return new StartableCommand() {
                    @Override
                    public CompletionStage<?> start() throws Exception {
                        return asynchronous.start(payload);
                    }
                };
            }
            return () -> registration.handler().handle(payload);
        }
        Class<?> type;
        try {
            type = ClassUtils.forName(call.targetType(), CommandResolver.class.getClassLoader());
        }
        catch (ClassNotFoundException | LinkageError failure) {
            throw new UnreadableCommandException("Class " + call.targetType() + " of " + call.describe()
                    + " does not exist any more", failure);
        }
        Method method = findMethod(type, call);
        Object target;
        try {
            target = call.beanName() == null ? beans.getBean(type) : beans.getBean(call.beanName(), type);
        }
        catch (BeansException failure) {
            throw new UnreadableCommandException("No bean for " + call.describe() + ": " + failure.getMessage(),
                    failure);
        }
        Object[] args = codec.readArguments(method, call.payload());
        return () -> invoke(method, target, args);
    }

    private static Method findMethod(Class<?> type, RecordedCall call) {
        String[] names = call.paramTypes().isEmpty() ? new String[0] : call.paramTypes().split(",");
        Class<?>[] parameterTypes = new Class<?>[names.length];
        try {
            for (int i = 0; i < names.length; i++) {
                parameterTypes[i] = ClassUtils.forName(names[i], CommandResolver.class.getClassLoader());
            }
            return type.getMethod(call.method(), parameterTypes);
        }
        catch (ClassNotFoundException | NoSuchMethodException | LinkageError failure) {
            throw new UnreadableCommandException("Method " + call.method() + "(" + call.paramTypes() + ") of "
                    + call.targetType() + " does not exist any more", failure);
        }
    }

    static void invoke(Method method, Object target, @Nullable Object[] args) throws Exception {
        try {
            method.invoke(target, args);
        }
        catch (InvocationTargetException failure) {
            Throwable cause = Objects.requireNonNullElse(failure.getCause(), failure);
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }
}
