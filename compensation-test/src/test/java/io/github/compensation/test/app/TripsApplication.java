package io.github.compensation.test.app;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Import;

/** The application under test of the module's Spring tests: H2, JDBC, the starter, {@link Trips}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({Partners.class, Trips.class})
public class TripsApplication {
}
