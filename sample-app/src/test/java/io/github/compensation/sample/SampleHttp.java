package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.report.ReportView;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** Calls the running sample over real HTTP, like curl would; HTTP errors are returned, not thrown. */
final class SampleHttp {

    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private final RestClient http;

    SampleHttp(int port) {
        this.http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .requestFactory(new JdkClientHttpRequestFactory(
                        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()))
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    ResponseEntity<Map<String, Object>> post(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve().toEntity(JSON);
    }

    ResponseEntity<Map<String, Object>> post(String path) {
        return http.post().uri(path).retrieve().toEntity(JSON);
    }

    List<Reservation> reservations(PartnerName partner, String tripRef) {
        return http.get().uri("/partners/{partner}?tripRef={tripRef}", partner.path(), tripRef).retrieve()
                .body(new ParameterizedTypeReference<List<Reservation>>() {
                });
    }

    /** The one reservation a partner holds for a trip; fails the test when it holds none or several. */
    Reservation onlyReservation(PartnerName partner, String tripRef) {
        List<Reservation> reservations = reservations(partner, tripRef);
        assertThat(reservations).as(partner.path() + " reservations of " + tripRef).hasSize(1);
        return reservations.get(0);
    }

    /** The report of the scope that a problem answer names in its {@code scope} field. */
    ReportView reportOf(ResponseEntity<Map<String, Object>> problem) {
        Map<String, Object> body = problem.getBody();
        Object scope = body == null ? null : body.get("scope");
        assertThat(scope).as("scope id in the problem details").isInstanceOf(String.class);
        return report((String) scope);
    }

    ReportView report(String scopeId) {
        return http.get().uri("/reports/{id}", scopeId).retrieve().body(ReportView.class);
    }

    List<ReportView> reports(String name) {
        return http.get().uri("/reports?name={name}", name).retrieve()
                .body(new ParameterizedTypeReference<List<ReportView>>() {
                });
    }
}
