package io.github.compensation.sample;

import static io.github.compensation.test.CompensationAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.partner.ReservationStatus;
import io.github.compensation.sample.report.ReportView;
import io.github.compensation.sample.trip.PartnerRefusedException;
import io.github.compensation.sample.trip.PartnerTimeoutException;
import io.github.compensation.test.AutoConfigureCompensations;
import io.github.compensation.test.CompensationFaults;
import io.github.compensation.test.RecordedScopes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.ResponseEntity;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionSystemException;

/**
 * {@code POST /trips} end to end over real HTTP: the service calls the three partners over HTTP (they run in the same
 * application), and each test checks the response, the partners' reservations (through their GET endpoints), the
 * {@code trips} and {@code notifications} rows, and what the booking's scope did, through compensation-test
 * ({@link AutoConfigureCompensations}); the sample's own {@code GET /reports/{id}} is checked where the caller gets a
 * scope id. Scopes open on the server's request threads, so these tests run one after the other (see
 * {@link ParallelBookingTest} for tests that run at once).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureCompensations
class TripBookingEndToEndTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RecordedScopes scopes;

    @Autowired
    CompensationFaults faults;

    SampleHttp http;
    String tripRef;

    @BeforeEach
    void setUp() {
        http = new SampleHttp(port);
        tripRef = "TRIP-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void success_allPartnersReserved_tripStored_tripBookedNotifiedOnlyAfterCommit_D1_T1() {
        ResponseEntity<Map<String, Object>> response = book(null);

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        Map<String, Object> trip = response.getBody();
        assertThat(trip).containsEntry("bookingRef", tripRef).containsEntry("customer", "Ana Lima");
        assertThat(only(PartnerName.FLIGHTS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("flightReservation"), ReservationStatus.RESERVED);
        assertThat(only(PartnerName.HOTELS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("hotelReservation"), ReservationStatus.RESERVED);
        assertThat(only(PartnerName.PAYMENTS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("paymentReservation"), ReservationStatus.RESERVED);
        assertThat(tripRows()).isEqualTo(1);
        assertThat(notifications()).containsExactly("Trip " + tripRef + " to Lisbon is booked for Ana Lima");

        assertThat(scopes).single().committed()
                .ranDispatches("publish TripBooked " + tripRef)
                .discardedCompensations("refund payment", "cancel hotel", "cancel flight");
        assertThat(http.report((String) trip.get("scope")).outcome()).isEqualTo("COMMITTED");
    }

    @Test
    void flightRefused_nothingToCancel_noTripNoEvent_callerGetsTheOriginalError_R1_D5() {
        ResponseEntity<Map<String, Object>> response = book("{\"flights\": \"REFUSE\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody())
                .containsEntry("title", "PartnerRefusedException")
                .containsEntry("exception", "io.github.compensation.sample.trip.PartnerRefusedException")
                .doesNotContainKey("suppressed");
        assertThat((String) response.getBody().get("detail"))
                .startsWith("flights refused to reserve FL-").endsWith("HTTP 422 no seats left on this flight (simulated)");
        assertThat(all(PartnerName.FLIGHTS)).isEmpty();
        assertThat(all(PartnerName.HOTELS)).isEmpty();
        assertThat(all(PartnerName.PAYMENTS)).isEmpty();
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();

        assertThat(scopes).single().rolledBack().causedBy(PartnerRefusedException.class)
                .ranCompensations()
                .discardedDispatches();
        assertThat(http.reportOf(response).cause().message()).isEqualTo(response.getBody().get("detail"));
    }

    @Test
    void hotelRefused_flightCancelled_paymentNeverCalled_R1() {
        ResponseEntity<Map<String, Object>> response = book("{\"hotels\": \"REFUSE\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat((String) response.getBody().get("detail")).contains("hotels refused to reserve HO-",
                "no rooms left for these nights");
        assertThat(only(PartnerName.FLIGHTS).status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(all(PartnerName.HOTELS)).isEmpty();
        assertThat(all(PartnerName.PAYMENTS)).isEmpty();
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();
        assertThat(scopes).single().rolledBack().ranCompensations("cancel flight " + only(PartnerName.FLIGHTS)
                .reference());
    }

    @Test
    void paymentRefused_hotelThenFlightCancelledNewestFirst_noEvent_callerGetsTheOriginalError_R1_R4_D5() {
        ResponseEntity<Map<String, Object>> response = book("{\"payments\": \"REFUSE\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("title", "PartnerRefusedException")
                .doesNotContainKey("suppressed");
        assertThat((String) response.getBody().get("detail")).contains("payments refused to reserve PA-",
                "card declined (simulated)");
        Reservation flight = only(PartnerName.FLIGHTS);
        Reservation hotel = only(PartnerName.HOTELS);
        assertThat(flight.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(hotel.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(hotel.cancelledAt()).isBeforeOrEqualTo(flight.cancelledAt());
        assertThat(all(PartnerName.PAYMENTS)).isEmpty();
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();

        assertThat(scopes).single().rolledBack().causedBy(PartnerRefusedException.class)
                .ranCompensations("cancel hotel " + hotel.reference(), "cancel flight " + flight.reference())
                .discardedDispatches();
    }

    @ParameterizedTest(name = "{0} unavailable")
    @EnumSource(value = PartnerName.class, names = {"FLIGHTS", "HOTELS", "PAYMENTS"})
    void anyPartnerAnswering503_everyEarlierReservationCancelled_noTrip_R1(PartnerName failing) {
        ResponseEntity<Map<String, Object>> response = book("{\"" + failing.path() + "\": \"UNAVAILABLE\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat((String) response.getBody().get("detail")).contains(failing.path() + " refused to reserve",
                "HTTP 503 service unavailable (simulated)");
        for (PartnerName partner : List.of(PartnerName.FLIGHTS, PartnerName.HOTELS, PartnerName.PAYMENTS)) {
            List<Reservation> reservations = all(partner);
            if (partner.ordinal() < failing.ordinal()) {
                assertThat(reservations).extracting(Reservation::status).containsExactly(ReservationStatus.CANCELLED);
            }
            else {
                assertThat(reservations).isEmpty();
            }
        }
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();
        assertThat(scopes).single().rolledBack().failedCommands();
    }

    @Test
    void hotelTimesOut_flightCancelled_andTheHotelReservationMadeDespiteTheLostReplyCancelledByReference_R1_D5() {
        ResponseEntity<Map<String, Object>> response = book("{\"hotels\": \"TIMEOUT\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(504);
        assertThat(response.getBody()).containsEntry("title", "PartnerTimeoutException")
                .containsEntry("exception", "io.github.compensation.sample.trip.PartnerTimeoutException");
        Reservation flight = only(PartnerName.FLIGHTS);
        Reservation hotel = only(PartnerName.HOTELS);
        assertThat(flight.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(hotel.status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(all(PartnerName.PAYMENTS)).isEmpty();
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();
        assertThat(scopes).single().rolledBack().causedBy(PartnerTimeoutException.class)
                .ranCompensations("cancel hotel " + hotel.reference() + " (reply timed out)",
                        "cancel flight " + flight.reference());
    }

    @Test
    void flightCancellationFails_reportShowsThatUndoFailed_hotelUndoStillRan_callerStillSeesThePaymentError_R4_R8_H1() {
        ResponseEntity<Map<String, Object>> response =
                book("{\"payments\": \"REFUSE\", \"flights\": \"CANCEL_FAILS\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        Map<String, Object> problem = response.getBody();
        assertThat((String) problem.get("detail")).contains("payments refused to reserve", "card declined");
        Reservation flight = only(PartnerName.FLIGHTS);
        assertThat(problem.get("suppressed")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly(Map.of("exception", "io.github.compensation.sample.trip.PartnerRefusedException",
                        "message", "flights refused to cancel " + flight.reference()
                                + ": HTTP 500 cancellation failed (simulated)"));
        assertThat(flight.status()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(only(PartnerName.HOTELS).status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();

        assertThat(scopes).single().rolledBack()
                .ranCompensations("cancel hotel")
                .failedCommands("cancel flight " + flight.reference())
                .attempts("cancel flight", 1);
        ReportView report = http.reportOf(response);
        assertThat(report.commands().get(1).error().type())
                .isEqualTo("io.github.compensation.sample.trip.PartnerRefusedException");
        assertThat(report.rendered()).contains("cancel flight " + flight.reference(), "FAILED 1/1");
    }

    @Test
    void duplicateBookingReference_tripInsertFailsAfterAllThreePartnersWereCalled_allThreeUndone_noSecondEvent_T1_R1() {
        assertThat(book(null).getStatusCode().value()).isEqualTo(201);

        ResponseEntity<Map<String, Object>> response = book(null);

        assertThat(response.getStatusCode().value()).isEqualTo(409);
        assertThat(response.getBody()).containsEntry("title", "DuplicateKeyException")
                .containsEntry("exception", "org.springframework.dao.DuplicateKeyException");
        assertThat((String) response.getBody().get("detail")).as("no SQL statement, no row: internals stay in the log")
                .isEqualTo("Already stored: a trip with this booking reference exists. Nothing was booked; every"
                        + " reservation made for this request was cancelled.")
                .doesNotContainIgnoringCase("insert").doesNotContain(tripRef);
        for (PartnerName partner : List.of(PartnerName.FLIGHTS, PartnerName.HOTELS, PartnerName.PAYMENTS)) {
            assertThat(all(partner)).as(partner.path()).extracting(Reservation::status)
                    .containsExactly(ReservationStatus.RESERVED, ReservationStatus.CANCELLED);
        }
        assertThat(tripRows()).isEqualTo(1);
        assertThat(notifications()).hasSize(1);

        assertThat(scopes).hasSize(2);
        assertThat(scopes).scope(0).committed().ranDispatches("publish TripBooked " + tripRef);
        assertThat(scopes).last().rolledBack().causedBy(DuplicateKeyException.class)
                .ranCompensations("refund payment " + all(PartnerName.PAYMENTS).get(1).reference(),
                        "cancel hotel " + all(PartnerName.HOTELS).get(1).reference(),
                        "cancel flight " + all(PartnerName.FLIGHTS).get(1).reference())
                .discardedDispatches();
    }

    @Test
    void commitFailsAfterEverythingSucceeded_provokedByTheTest_allThreeUndoneNewestFirst_noEvent_X1_T1_R1_D5() {
        faults.failNextCommit();

        ResponseEntity<Map<String, Object>> response = book(null);

        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(response.getBody()).containsEntry("title", "TransactionSystemException")
                .doesNotContainKey("suppressed");
        for (PartnerName partner : List.of(PartnerName.FLIGHTS, PartnerName.HOTELS, PartnerName.PAYMENTS)) {
            assertThat(all(partner)).as(partner.path()).extracting(Reservation::status)
                    .containsExactly(ReservationStatus.CANCELLED);
        }
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();
        assertThat(scopes).single().rolledBack().causedBy(TransactionSystemException.class)
                .ranCompensations("refund payment", "cancel hotel", "cancel flight")
                .discardedDispatches("publish TripBooked " + tripRef);
    }

    private ResponseEntity<Map<String, Object>> book(String failures) {
        return http.post("/trips", """
                {"customer": "Ana Lima", "destination": "Lisbon", "amount": 450.00, "bookingRef": "%s"%s}"""
                .formatted(tripRef, failures == null ? "" : ", \"fail\": " + failures));
    }

    private List<Reservation> all(PartnerName partner) {
        return http.reservations(partner, tripRef);
    }

    private Reservation only(PartnerName partner) {
        return http.onlyReservation(partner, tripRef);
    }

    private int tripRows() {
        return jdbc.sql("select count(*) from trips where booking_ref = ?").param(tripRef).query(Integer.class)
                .single();
    }

    private List<String> notifications() {
        return jdbc.sql("select message from notifications where booking_ref = ? order by id").param(tripRef)
                .query(String.class).list();
    }
}
