package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.partner.ReservationStatus;
import io.github.compensation.sample.report.ReportView;
import io.github.compensation.sample.report.ReportView.CommandView;
import io.github.compensation.sample.trip.ReactiveTripsDatabase;
import java.time.Duration;
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
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * {@code POST /reactive-trips} end to end over real HTTP: the parallel booking with {@code WebClient} and R2DBC, one
 * scope per subscription kept in the Reactor context (clause A2), undone in parallel when a partner fails (A3).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ReactiveTripBookingEndToEndTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReactiveTripsDatabase reactiveTripsDatabase;

    SampleHttp http;
    String tripRef;

    @BeforeEach
    void setUp() {
        http = new SampleHttp(port);
        tripRef = "RX-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a2_allThreeReservedAtOnce_tripStoredThroughR2dbc_tripBookedNotifiedOnceTheBookingCompleted() {
        ResponseEntity<Map<String, Object>> response = book(null);

        assertThat(response.getStatusCode().value()).isEqualTo(201);
        Map<String, Object> trip = response.getBody();
        assertThat(only(PartnerName.FLIGHTS)).extracting(Reservation::reference, Reservation::status)
                .containsExactly(trip.get("flightReservation"), ReservationStatus.RESERVED);
        assertThat(only(PartnerName.HOTELS).status()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(only(PartnerName.CARS).status()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(tripRows()).isEqualTo(1);
        assertThat(notifications()).containsExactly("Trip " + tripRef + " to Faro is booked for Ines Sousa");

        ReportView report = http.report((String) trip.get("scope"));
        assertThat(report.outcome()).isEqualTo("COMMITTED");
        assertThat(report.commands()).extracting(CommandView::kind, CommandView::status).containsExactlyInAnyOrder(
                tuple("COMPENSATION", "DISCARDED"), tuple("COMPENSATION", "DISCARDED"),
                tuple("COMPENSATION", "DISCARDED"), tuple("DISPATCH", "DONE"));
    }

    @Test
    void a2_a3_carRefused_flightAndHotelCancelledBeforeTheErrorReachesTheCaller_noTripNoEvent() {
        ResponseEntity<Map<String, Object>> response = book("{\"cars\": \"REFUSE\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("title", "PartnerRefusedException");
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
    void a2_hotelReplyLost_everyReservationUndone_theHotelOneByItsReference() {
        ResponseEntity<Map<String, Object>> response = book("{\"hotels\": \"TIMEOUT\"}");

        assertThat(response.getStatusCode().value()).isEqualTo(504);
        for (PartnerName partner : List.of(PartnerName.FLIGHTS, PartnerName.HOTELS, PartnerName.CARS)) {
            assertThat(only(partner).status()).as(partner.path()).isEqualTo(ReservationStatus.CANCELLED);
        }
        assertThat(tripRows()).isZero();
        assertThat(notifications()).isEmpty();
    }

    private ResponseEntity<Map<String, Object>> book(String failures) {
        return http.post("/reactive-trips", """
                {"customer": "Ines Sousa", "destination": "Faro", "bookingRef": "%s"%s}"""
                .formatted(tripRef, failures == null ? "" : ", \"fail\": " + failures));
    }

    private List<Reservation> all(PartnerName partner) {
        return http.reservations(partner, tripRef);
    }

    private Reservation only(PartnerName partner) {
        return http.onlyReservation(partner, tripRef);
    }

    private long tripRows() {
        return DatabaseClient.create(reactiveTripsDatabase.connections()).sql("select count(*) from reactive_trips where"
                        + " booking_ref = :ref").bind("ref", tripRef).map(row -> row.get(0, Long.class)).one()
                .block(Duration.ofSeconds(10));
    }

    private List<String> notifications() {
        return jdbc.sql("select message from notifications where booking_ref = ? order by id").param(tripRef)
                .query(String.class).list();
    }
}
