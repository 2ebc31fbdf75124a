package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.partner.ReservationStatus;
import io.github.compensation.sample.report.ReportView;
import io.github.compensation.sample.report.ReportView.CommandView;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code postgres} profile on a real PostgreSQL server (embedded, started by this test): the booking reference is
 * unique DEFERRABLE INITIALLY DEFERRED, so a duplicate is accepted by the insert and fails only when the transaction
 * commits, after the three partners were called and after {@code book} returned. The failed commit must still undo
 * the reservations and drop the event.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@DirtiesContext
class CommitFailureOnPostgresEndToEndTest {

    /** Stopped by its own shutdown hook, after the (dirtied, hence closed) application context let go of it. */
    static final EmbeddedPostgres POSTGRES = start();

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> POSTGRES.getJdbcUrl("postgres", "postgres") + "&currentSchema=compensation_sample");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void duplicateBookingReferenceFailsAtCommit_callerGetsTheCommitError_allReservationsUndone_noEvent_T1_R1_D5() {
        SampleHttp http = new SampleHttp(port);
        String booking = """
                {"customer": "Ana Lima", "destination": "Lisbon", "bookingRef": "PG-COMMIT-1"}""";
        assertThat(http.post("/trips", booking).getStatusCode().value()).isEqualTo(201);

        ResponseEntity<Map<String, Object>> response = http.post("/trips", booking);

        assertThat(response.getStatusCode().value()).isEqualTo(409);
        assertThat(response.getBody()).containsEntry("exception", "org.springframework.dao.DuplicateKeyException");
        assertThat((String) response.getBody().get("detail")).startsWith("Already stored: a trip with this booking")
                .doesNotContain("JDBC", "trips_booking_ref_unique", "PG-COMMIT-1");
        for (PartnerName partner : List.of(PartnerName.FLIGHTS, PartnerName.HOTELS, PartnerName.PAYMENTS)) {
            assertThat(http.reservations(partner, "PG-COMMIT-1")).as(partner.path())
                    .extracting(Reservation::status)
                    .containsExactly(ReservationStatus.RESERVED, ReservationStatus.CANCELLED);
        }
        assertThat(jdbc.sql("select count(*) from trips where booking_ref = 'PG-COMMIT-1'").query(Integer.class)
                .single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from notifications where booking_ref = 'PG-COMMIT-1'")
                .query(Integer.class).single()).isEqualTo(1);

        ReportView report = http.report((String) response.getBody().get("scope"));
        assertThat(report.outcome()).isEqualTo("ROLLED_BACK");
        List<String> kindsAndStatuses = report.commands().stream()
                .map(command -> command.kind() + " " + command.status()).toList();
        assertThat(kindsAndStatuses).containsExactly("COMPENSATION DONE", "COMPENSATION DONE", "COMPENSATION DONE",
                "DISPATCH DISCARDED");
        assertThat(report.commands()).extracting(CommandView::description).first().asString()
                .startsWith("refund payment");
        assertThat(report.commands()).last().extracting(CommandView::description, CommandView::note)
                .containsExactly("publish TripBooked PG-COMMIT-1", "not committed: rolled back");
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.start();
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", failure);
        }
    }
}
