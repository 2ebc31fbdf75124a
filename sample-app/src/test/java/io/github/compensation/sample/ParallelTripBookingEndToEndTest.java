package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.partner.ReservationStatus;
import io.github.compensation.sample.report.ReportView;
import io.github.compensation.sample.report.ReportView.CommandView;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /parallel-trips} end to end over real HTTP: flight, hotel and car are reserved at the same time on
 * other threads, the trip is stored afterwards in a transaction of its own, and a failure anywhere undoes every
 * reservation that was made, in parallel (clauses A1, A3).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ParallelTripBookingEndToEndTest {

    private static final List<PartnerName> PARTNERS = List.of(PartnerName.FLIGHTS, PartnerName.HOTELS,
            PartnerName.CARS);

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    SampleHttp http;
    String tripRef;

    @BeforeEach
    void setUp() {
        http = new SampleHttp(port);
        tripRef = "PAR-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a1_a3_allThreeReservedAtOnce_tripStoredAfterwards_tripBookedNotifiedOnceTheBookingCompleted() {
        ResponseEntity<Map<String, Object>> response = book(null);

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        Map<String, Object> trip = response.getBody();
        assertThat(only(PartnerName.FLIGHTS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("flightReservation"), ReservationStatus.RESERVED);
        assertThat(only(PartnerName.HOTELS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("hotelReservation"), ReservationStatus.RESERVED);
        assertThat(only(PartnerName.CARS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("carReservation"), ReservationStatus.RESERVED);
        assertThat(tripRows()).isEqualTo(1);
        assertThat(notifications()).containsExactly("Trip " + tripRef + " to Porto is booked for Rui Costa");

        ReportView report = http.report((String) trip.get("scope"));
        assertThat(report.outcome()).isEqualTo("COMMITTED");
        assertThat(report.commands()).extracting(CommandView::kind, CommandView::status).containsExactlyInAnyOrder(
                tuple("COMPENSATION", "DISCARDED"), tuple("COMPENSATION", "DISCARDED"),
                tuple("COMPENSATION", "DISCARDED"), tuple("DISPATCH", "DONE"));
    }

    @Test
    void a1_a3_carRefused_flightAndHotelCancelledInParallel_noTripNoEvent_callerGetsTheOriginalError() {
        ResponseEntity<Map<String, Object>> response = book("{\"cars\": \"REFUSE\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("title", "PartnerRefusedException")
                .doesNotContainKey("suppressed");
        assertThat((String) response.getBody().get("detail")).contains("cars refused to reserve CA-",
                "no cars left at this station (simulated)");
        assertThat(only(PartnerName.FLIGHTS).status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(only(PartnerName.HOTELS).status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(all(PartnerName.CARS)).isEmpty();
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();

        ReportView report = http.reportOf(response);
        assertThat(report.outcome()).isEqualTo("ROLLED_BACK");
        assertThat(report.commands()).extracting(CommandView::description, CommandView::status)
                .containsExactlyInAnyOrder(tuple("cancel flight " + only(PartnerName.FLIGHTS).reference(), "DONE"),
                        tuple("cancel hotel " + only(PartnerName.HOTELS).reference(), "DONE"));
    }

    @Test
    void a1_a3_hotelReplyLost_everyReservationUndone_theHotelOneByItsReference() {
        ResponseEntity<Map<String, Object>> response = book("{\"hotels\": \"TIMEOUT\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(504);
        assertThat(response.getBody()).containsEntry("title", "PartnerTimeoutException");
        for (PartnerName partner : PARTNERS) {
            assertThat(only(partner).status()).as(partner.path()).isEqualTo(ReservationStatus.CANCELLED);
        }
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();
        assertThat(http.reportOf(response).commands()).extracting(CommandView::status).containsOnly("DONE").hasSize(3);
    }

    @Test
    void a1_a3_flightCancellationFails_theOtherUndosStillRan_callerSeesTheCarErrorWithTheUndoFailureSuppressed() {
        ResponseEntity<Map<String, Object>> response = book("{\"cars\": \"REFUSE\", \"flights\": \"CANCEL_FAILS\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat((String) response.getBody().get("detail")).contains("cars refused to reserve");
        Reservation flight = only(PartnerName.FLIGHTS);
        assertThat(response.getBody().get("suppressed")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LIST).containsExactly(Map.of(
                        "exception", "io.github.compensation.sample.trip.PartnerRefusedException",
                        "message", "flights refused to cancel " + flight.reference()
                                + ": HTTP 500 cancellation failed (simulated)"));
        assertThat(flight.status()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(only(PartnerName.HOTELS).status()).isEqualTo(ReservationStatus.CANCELLED);
        assertThat(tripRows()).isZero();
    }

    @Test
    void a1_a3_duplicateBookingReference_storingFailsAfterAllThreeWereReserved_allThreeUndone() {
        assertThat(book(null).getStatusCode().value()).isEqualTo(201);

        ResponseEntity<Map<String, Object>> response = book(null);

        assertThat(response.getStatusCode().value()).isEqualTo(409);
        for (PartnerName partner : PARTNERS) {
            assertThat(all(partner)).as(partner.path()).extracting(Reservation::status)
                    .containsExactly(ReservationStatus.RESERVED, ReservationStatus.CANCELLED);
        }
        assertThat(tripRows()).isEqualTo(1);
        assertThat(notifications()).hasSize(1);
    }

    private ResponseEntity<Map<String, Object>> book(String failures) {
        return http.post("/parallel-trips", """
                {"customer": "Rui Costa", "destination": "Porto", "bookingRef": "%s"%s}"""
                .formatted(tripRef, failures == null ? "" : ", \"fail\": " + failures));
    }

    private List<Reservation> all(PartnerName partner) {
        return http.reservations(partner, tripRef);
    }

    private Reservation only(PartnerName partner) {
        return http.onlyReservation(partner, tripRef);
    }

    private int tripRows() {
        return jdbc.sql("select count(*) from parallel_trips where booking_ref = ?").param(tripRef)
                .query(Integer.class).single();
    }

    private List<String> notifications() {
        return jdbc.sql("select message from notifications where booking_ref = ? order by id").param(tripRef)
                .query(String.class).list();
    }
}
