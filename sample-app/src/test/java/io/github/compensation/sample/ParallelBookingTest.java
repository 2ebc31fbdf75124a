package io.github.compensation.sample;

import static io.github.compensation.test.CompensationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.sample.partner.FailureMode;
import io.github.compensation.sample.trip.PartnerRefusedException;
import io.github.compensation.sample.trip.TripRequest;
import io.github.compensation.sample.trip.TripService;
import io.github.compensation.test.AutoConfigureCompensations;
import io.github.compensation.test.RecordedScopes;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Two tests that book at the same moment, in JUnit's parallel mode (this class only: see
 * {@code junit-platform.properties}), each seeing only its own scope (clause X1). They call {@link TripService} on the
 * test's own thread, which is how compensation-test tells the tests apart; the partners still answer over HTTP. Only
 * the two methods run concurrently: the class itself runs one after the other with the other classes, whose scopes
 * open on the server's request threads.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureCompensations
class ParallelBookingTest {

    /** Both tests must reach it before either books: proves they run at once (it times out otherwise). */
    static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

    @Autowired
    TripService trips;

    @Autowired
    RecordedScopes scopes;

    /**
     * Bookings before the tests until one succeeds, so that the partners' first, slow answers (a cold JVM on a small,
     * busy machine) do not run into their one-second read timeout during the tests. They run before any test is bound
     * to a thread: no test sees their scopes.
     */
    @BeforeAll
    static void warmUp(@Autowired TripService trips) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                trips.book(request(reference(), null));
                return;
            }
            catch (RuntimeException cold) {
                last = cold;
            }
        }
        throw last;
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void bookingThatSucceeds_seesOnlyItsOwnCommittedScope_X1() throws Exception {
        String ref = reference();
        BOTH_RUNNING.await(30, TimeUnit.SECONDS);

        trips.book(request(ref, null));

        assertThat(scopes).single().committed().ranDispatches("publish TripBooked " + ref);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void bookingWhosePaymentIsRefused_seesOnlyItsOwnRolledBackScope_X1() throws Exception {
        String ref = reference();
        BOTH_RUNNING.await(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> trips.book(request(ref, FailureMode.REFUSE)))
                .isInstanceOf(PartnerRefusedException.class);

        assertThat(scopes).single().rolledBack().ranCompensations("cancel hotel", "cancel flight")
                .causedBy(PartnerRefusedException.class).discardedDispatches();
    }

    private static String reference() {
        return "PAR-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TripRequest request(String ref, FailureMode payments) {
        return new TripRequest("Ana Lima", "Lisbon", new BigDecimal("450.00"), ref,
                new TripRequest.Failures(null, null, payments));
    }
}
