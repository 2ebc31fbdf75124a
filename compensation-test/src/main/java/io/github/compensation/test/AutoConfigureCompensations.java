package io.github.compensation.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds compensation test support to a Spring Boot test ({@code @SpringBootTest} or a test slice), the way Spring
 * Boot's own {@code @AutoConfigure...} annotations do: it imports the auto-configurations listed in
 * {@code META-INF/spring/io.github.compensation.test.AutoConfigureCompensations.imports}, which register a
 * {@link ScopeRecorder}, a {@link RecordedScopes} bean for the running test, {@link CompensationFaults} (wrapping the
 * application's transaction managers and command runner) and, with the journal, {@link JournalRecovery}; and it
 * registers {@link CompensationsExtension}, which attributes scopes to tests. Inject the beans into the test:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureCompensations
 * class TripServiceTest {
 *     @Autowired RecordedScopes scopes;
 *     @Autowired CompensationFaults faults;
 * }
 * }</pre>
 *
 * <p>Part of Spring's context cache key, like every imported auto-configuration: test classes that carry it share one
 * context, and the per-test attribution keeps their scopes apart.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@ExtendWith(CompensationsExtension.class)
public @interface AutoConfigureCompensations {
}
