package io.github.compensation.journal.aot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Runtime hints for the journal (J1, J5, J6): its migrations and changelog, read from the class path by Flyway,
 * Liquibase and the journal's own schema initialization, are registered for every application through the
 * auto-configuration; {@link #registerRecordedCalls} registers what one type of recorded calls needs, for the
 * application to call from its own {@link RuntimeHintsRegistrar}, since only the application knows which types it
 * records calls on ({@code rollback.append(FlightClient.class)}). Handlers annotated with {@code @CommandHandler} are
 * found by {@link CommandHandlerAotProcessor} on their own. Stateless.
 */
public final class JournalRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern("db/migration/compensation/*/R__compensation_journal.sql");
        hints.resources().registerPattern("db/changelog/compensation/journal-changelog.yaml");
    }

    /**
     * Registers what recording calls on {@code type}, and running them after a restart, needs in a native image: the
     * JDK proxy that stands in for an interface, its public methods for reflective invocation (the journal looks a
     * stored call up by name and parameter types), and binding hints for their parameter types, which are written and
     * read as JSON. Record calls on interfaces in a native image: a class-based stand-in needs a class generated at
     * run time, which a native image cannot do.
     *
     * @param hints the hints to add to
     * @param type  a type the application records calls on, such as {@code FlightClient.class}
     */
    public static void registerRecordedCalls(RuntimeHints hints, Class<?> type) {
        if (type.isInterface()) {
            hints.proxies().registerJdkProxy(AopProxyUtils.completeJdkProxyInterfaces(type));
        }
        hints.reflection().registerType(type);
        BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
        for (Method method : type.getMethods()) {
            if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
            binding.registerReflectionHints(hints.reflection(), method.getGenericParameterTypes());
        }
    }
}
