package io.github.compensation.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.Outcome;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.spring.testsupport.Journal;
import io.github.compensation.spring.testsupport.RecordingScopeListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * The annotations work whichever proxy Spring makes: JDK dynamic proxies ({@code spring.aop.proxy-target-class=false},
 * annotation on the interface method) and CGLIB class proxies (Spring Boot's default); a class-level annotation
 * applies to the class's public methods.
 */
class ProxyKindsTest {

    /** Annotated on the interface only. */
    public interface Greeter {

        @RollbackOnceFailed
        String greet(String name, boolean fail);
    }

    public static class DefaultGreeter implements Greeter {

        private final RollbackCommands rollback;
        private final Journal journal;

        public DefaultGreeter(RollbackCommands rollback, Journal journal) {
            this.rollback = rollback;
            this.journal = journal;
        }

        @Override
        public String greet(String name, boolean fail) {
            rollback.append("forget " + name, () -> journal.add("forget " + name));
            if (fail) {
                throw new IllegalStateException("no greeting for " + name);
            }
            return "hello " + name;
        }
    }

    /** No interface, annotated on the method: always a class proxy. */
    public static class Counter {

        private final RollbackCommands rollback;
        private final Journal journal;

        public Counter(RollbackCommands rollback, Journal journal) {
            this.rollback = rollback;
            this.journal = journal;
        }

        @RollbackOnceFailed
        public void count(boolean fail) {
            rollback.append("uncount", () -> journal.add("uncount"));
            if (fail) {
                throw new IllegalStateException("count failed");
            }
        }
    }

    /** Annotated on the class. */
    @RollbackOnceFailed
    public static class Archive {

        private final RollbackCommands rollback;
        private final Journal journal;

        public Archive(RollbackCommands rollback, Journal journal) {
            this.rollback = rollback;
            this.journal = journal;
        }

        public void store(boolean fail) {
            rollback.append("unstore", () -> journal.add("unstore"));
            if (fail) {
                throw new IllegalStateException("store failed");
            }
        }

        protected void storeProtected() {
            rollback.append("unstore protected", () -> journal.add("unstore protected"));
        }

        void storePackagePrivate() {
            rollback.append("unstore package-private", () -> journal.add("unstore package-private"));
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
    static class App {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        RecordingScopeListener recordingScopeListener() {
            return new RecordingScopeListener();
        }

        @Bean
        DefaultGreeter greeter(RollbackCommands rollback, Journal journal) {
            return new DefaultGreeter(rollback, journal);
        }

        @Bean
        Counter counter(RollbackCommands rollback, Journal journal) {
            return new Counter(rollback, journal);
        }

        @Bean
        Archive archive(RollbackCommands rollback, Journal journal) {
            return new Archive(rollback, journal);
        }
    }

    abstract static class Scenarios {

        @Autowired
        Greeter greeter;

        @Autowired
        Counter counter;

        @Autowired
        Archive archive;

        @Autowired
        Journal journal;

        @Autowired
        RecordingScopeListener reports;

        @BeforeEach
        void cleanSlate() {
            journal.clear();
            reports.clear();
        }

        @Test
        void r1_annotationOnTheInterfaceMethodIsAdvised() {
            assertThat(greeter.greet("ada", false)).isEqualTo("hello ada");
            assertThatThrownBy(() -> greeter.greet("bob", true)).hasMessage("no greeting for bob");

            assertThat(journal.lines()).containsExactly("forget bob");
            assertThat(reports.reports()).extracting(report -> report.name() + " " + report.outcome())
                    .containsExactly("DefaultGreeter.greet COMMITTED", "DefaultGreeter.greet ROLLED_BACK");
        }

        @Test
        void r1_annotationOnAClassMethodIsAdvised() {
            assertThat(AopUtils.isCglibProxy(counter)).isTrue();
            assertThatThrownBy(() -> counter.count(true)).hasMessage("count failed");

            assertThat(journal.lines()).containsExactly("uncount");
        }

        @Test
        void r1_classLevelAnnotationAppliesToPublicMethods() {
            assertThat(AopUtils.isCglibProxy(archive)).isTrue();
            assertThatThrownBy(() -> archive.store(true)).hasMessage("store failed");

            assertThat(journal.lines()).containsExactly("unstore");
            assertThat(reports.only("Archive.store").outcome()).isEqualTo(Outcome.ROLLED_BACK);
        }

        @Test
        void e1_classLevelAnnotationDoesNotApplyToNonPublicMethods() {
            assertThatThrownBy(() -> archive.storeProtected()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("annotate the calling method with @RollbackOnceFailed");
            assertThatThrownBy(() -> archive.storePackagePrivate()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("annotate the calling method with @RollbackOnceFailed");
            assertThat(reports.reports()).isEmpty();
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, properties = "spring.aop.proxy-target-class=false")
    class JdkDynamicProxies extends Scenarios {

        @Test
        void beansWithInterfacesAreJdkProxies() {
            assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
        }
    }

    @Nested
    @SpringBootTest(classes = App.class)
    class CglibProxies extends Scenarios {

        @Test
        void beansWithInterfacesAreClassProxies() {
            assertThat(AopUtils.isCglibProxy(greeter)).isTrue();
        }
    }
}
