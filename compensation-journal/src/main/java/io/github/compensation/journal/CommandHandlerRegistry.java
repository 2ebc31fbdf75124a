package io.github.compensation.journal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Named handlers of durable commands (clause J1): filled from bean methods annotated with {@link CommandHandler}
 * (this class is a {@link BeanPostProcessor}) or programmatically. Thread-safe.
 */
public class CommandHandlerRegistry implements BeanPostProcessor {

    /**
     * A handler taking one payload.
     *
     * @param <P> the payload type
     */
    @FunctionalInterface
    public interface Handler<P> {

        /**
         * Handles the payload.
         *
         * @param payload as read back from the journal
         * @throws Exception when handling fails; the command is retried as configured
         */
        void handle(P payload) throws Exception;
    }

    /**
     * A handler that starts its work and says when it is finished, such as a send to a broker that completes on the
     * broker's acknowledgement. The journal's worker starts the handlers of a whole batch before it waits for any of
     * them; right after commit, the scope waits for the stage. The stage should complete (normally or not) within a
     * bound of the handler's own, such as a send timeout; the worker waits at most the journal's lease.
     *
     * @param <P> the payload type
     */
    @FunctionalInterface
    public interface AsyncHandler<P> {

        /**
         * Starts handling the payload. Runs on the journal's thread with {@link IdempotencyKey#current()} set.
         *
         * @param payload as read back from the journal
         * @return completes normally once handled, exceptionally when handling failed (the command is retried)
         * @throws Exception when handling cannot even start; retried like a failed stage
         */
        CompletionStage<?> start(P payload) throws Exception;
    }

    /** An {@link AsyncHandler} in the form of a {@link Handler}: handling waits for the stage. */
    static final class Asynchronous implements Handler<@Nullable Object> {

        private final AsyncHandler<Object> handler;

        Asynchronous(AsyncHandler<Object> handler) {
            this.handler = handler;
        }

        CompletionStage<?> start(@Nullable Object payload) throws Exception {
            return handler.start(Objects.requireNonNull(payload, "payload must not be null"));
        }

        @Override
        public void handle(@Nullable Object payload) throws Exception {
            await(start(payload));
        }

        /** Waits for a stage, throwing what it failed with. */
        static void await(CompletionStage<?> stage) throws Exception {
            try {
                stage.toCompletableFuture().get();
            }
            catch (ExecutionException failed) {
                Throwable cause = Objects.requireNonNullElse(failed.getCause(), failed);
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) cause;
            }
        }
    }

    /**
     * A registered handler with the payload type it declares.
     *
     * @param name        its name
     * @param payloadType the declared payload type
     * @param handler     the handler
     */
    public record Registration(String name, Type payloadType, Handler<@Nullable Object> handler) {
    }

    private final Map<String, Registration> handlers = new ConcurrentHashMap<>();

    /**
     * Registers a handler.
     *
     * @param name        unique name
     * @param payloadType the payload type
     * @param handler     the handler
     * @param <P>         the payload type
     * @throws IllegalStateException when the name is taken
     */
    @SuppressWarnings("unchecked")
    public <P> void register(String name, Class<P> payloadType, Handler<P> handler) {
        add(new Registration(name, payloadType, (Handler<@Nullable Object>) (Handler<?>) handler));
    }

    /**
     * Registers a handler whose work completes later (see {@link AsyncHandler}).
     *
     * @param name        unique name
     * @param payloadType the payload type
     * @param handler     the handler
     * @param <P>         the payload type
     * @throws IllegalStateException when the name is taken
     */
    @SuppressWarnings("unchecked")
    public <P> void registerAsync(String name, Class<P> payloadType, AsyncHandler<P> handler) {
        add(new Registration(name, payloadType,
                new Asynchronous((AsyncHandler<Object>) (AsyncHandler<?>) handler)));
    }

    private void add(Registration registration) {
        Registration previous = handlers.putIfAbsent(registration.name(), registration);
        if (previous != null) {
            throw new IllegalStateException("Two command handlers are named '" + registration.name()
                    + "': rename one of them; handler names must be unique in the application");
        }
    }

    /**
     * The handler with that name.
     *
     * @param name the name
     * @return the registration, or {@code null}
     */
    public @Nullable Registration find(String name) {
        return handlers.get(name);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, CommandHandler> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<CommandHandler>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, CommandHandler.class));
        methods.forEach((method, annotation) -> {
            if (method.getParameterCount() != 1) {
                throw new IllegalStateException("@CommandHandler(\"" + annotation.value() + "\") method "
                        + method.toGenericString() + " must take exactly one parameter, the payload");
            }
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            invocable.setAccessible(true);
            add(new Registration(annotation.value(), method.getGenericParameterTypes()[0], payload -> {
                try {
                    invocable.invoke(bean, payload);
                }
                catch (InvocationTargetException failure) {
                    Throwable cause = Objects.requireNonNullElse(failure.getCause(), failure);
                    if (cause instanceof Exception exception) {
                        throw exception;
                    }
                    throw (Error) cause;
                }
            }));
        });
        return bean;
    }
}
