package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.journal.aot.CommandHandlerAotProcessor;
import io.github.compensation.journal.aot.JournalRuntimeHints;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;

/** What a native image needs of the journal (J1, J5, J6), checked with Spring's {@code RuntimeHintsPredicates}. */
class JournalRuntimeHintsTest {

    /** A type an application records calls on. */
    public interface FlightClient {
        void cancel(Booking booking);
    }

    /** A payload read back from JSON. */
    public record Booking(String flight, int seats) {
    }

    public static class Handlers {
        @CommandHandler("cancel-hotel")
        public void cancel(Booking booking) {
        }

        public void notAHandler(String ignored) {
        }
    }

    @Test
    void schemaScriptsAndMigrationsAreRegisteredAsResources_J5() {
        RuntimeHints hints = new RuntimeHints();
        new JournalRuntimeHints().registerHints(hints, getClass().getClassLoader());

        for (Dialect dialect : Dialect.values()) {
            assertThat(RuntimeHintsPredicates.resource().forResource(dialect.schemaLocation())).as(dialect.name())
                    .accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.resource().forResource(
                "db/migration/compensation/mysql/R__compensation_journal.sql")).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("db/changelog/compensation/journal-changelog.yaml"))
                .accepts(hints);
    }

    @Test
    void recordedCallsOnATypeGetTheirProxyInvocationAndJsonHints_J1_J6() throws Exception {
        RuntimeHints hints = new RuntimeHints();
        JournalRuntimeHints.registerRecordedCalls(hints, FlightClient.class);

        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(
                AopProxyUtils.completeJdkProxyInterfaces(FlightClient.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                FlightClient.class.getMethod("cancel", Booking.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Booking.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Booking.class.getMethod("flight")))
                .as("record accessors, which Jackson calls").accepts(hints);
    }

    @Test
    void commandHandlerMethodsAndTheirPayloadsGetHintsAtBuildTime_J1_J6() throws Exception {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(org.springframework.beans.factory.aot.BeanRegistrationAotProcessor.class))
                .hasAtLeastOneElementOfType(CommandHandlerAotProcessor.class);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerBeanDefinition("handlers", new RootBeanDefinition(Handlers.class));
        beans.registerBeanDefinition("other", new RootBeanDefinition(Remote.class));
        CommandHandlerAotProcessor processor = new CommandHandlerAotProcessor();
        assertThat(processor.processAheadOfTime(RegisteredBean.of(beans, "other"))).as("no handlers").isNull();

        BeanRegistrationAotContribution contribution = processor.processAheadOfTime(
                RegisteredBean.of(beans, "handlers"));
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("com.example", "App")), new InMemoryGeneratedFiles());
        assertThat(contribution).isNotNull();
        contribution.applyTo(generation, null);
        RuntimeHints hints = generation.getRuntimeHints();

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Handlers.class.getMethod("cancel", Booking.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Booking.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Handlers.class.getMethod("notAHandler", String.class))).rejects(hints);
    }
}
