package io.github.compensation.test.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@link DurableTrips} on H2 with the journal on. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({Partners.class, DurableTrips.class})
public class DurableTripsApplication {
}
