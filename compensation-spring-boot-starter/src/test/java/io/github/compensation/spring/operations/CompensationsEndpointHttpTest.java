package io.github.compensation.spring.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code compensations} endpoint over real HTTP (clause O1): what needs a person, one scope step by step as JSON and
 * as the H1 text block, and the write operations changing what the next read shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=compensations",
        "compensation.retry.max-attempts=2",
        "spring.datasource.url=jdbc:h2:mem:ops-endpoint;DB_CLOSE_DELAY=-1"})
class CompensationsEndpointHttpTest {

    @SpringBootApplication
    @Import(Trips.class)
    static class App {
    }

    /** Books trips; each booking's "cancel flight" fails as many times as the test asks. */
    @Service
    static class Trips {

        final RollbackCommands rollback;
        final Map<String, AtomicInteger> cancelFailuresLeft = new ConcurrentHashMap<>();
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        final List<String> mdcSeen = new CopyOnWriteArrayList<>();

        Trips(RollbackCommands rollback) {
            this.rollback = rollback;
        }

        public List<String> cancelled() {
            return cancelled;
        }

        public List<String> mdcSeen() {
            return mdcSeen;
        }

        public int failuresLeft(String trip) {
            return cancelFailuresLeft.get(trip).get();
        }

        @RollbackOnceFailed
        public void book(String trip, int cancelFailures) {
            cancelFailuresLeft.put(trip, new AtomicInteger(cancelFailures));
            rollback.append("cancel hotel " + trip, () -> cancelled.add("hotel " + trip));
            rollback.append("cancel flight " + trip, () -> {
                if (cancelFailuresLeft.get(trip).getAndDecrement() > 0) {
                    throw new ConnectException("flights:443 refused");
                }
                cancelled.add("flight " + trip);
                mdcSeen.add(trip + " " + MDC.get("compensation.scope"));
            });
            throw new IllegalStateException("card declined");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Trips trips;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/compensations" + path))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/compensations" + path));
        request.header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> idsNeedingAttention() throws Exception {
        HttpResponse<String> response = get("", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json.readTree(response.body()).get("scopes").forEach(scope -> ids.add(scope.get("id").asString()));
        return ids;
    }

    private String bookFailing(String trip, int cancelFailures) throws Exception {
        List<String> before = idsNeedingAttention();
        assertThatThrownBy(() -> trips.book(trip, cancelFailures)).hasMessage("card declined");
        List<String> after = idsNeedingAttention();
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return after.get(0);
    }

    @Test
    void o1FailedCompensationIsListedAsNeedingAttentionAndShownStepByStepAsJson() throws Exception {
        String id = bookFailing("t1", 5);

        HttpResponse<String> response = get("/" + id, "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode scope = json.readTree(response.body());
        assertThat(scope.get("name").asString()).isEqualTo("Trips.book");
        assertThat(scope.get("state").asString()).isEqualTo("FAILED");
        assertThat(scope.get("outcome").asString()).isEqualTo("ROLLED_BACK");
        assertThat(scope.get("cause").asString()).isEqualTo("IllegalStateException: card declined");
        assertThat(scope.get("retryable").asBoolean()).isTrue();
        JsonNode flight = scope.get("commands").get(0);
        assertThat(flight.get("description").asString()).isEqualTo("cancel flight t1");
        assertThat(flight.get("status").asString()).isEqualTo("FAILED");
        assertThat(flight.get("attempts").asInt()).isEqualTo(2);
        assertThat(flight.get("maxAttempts").asInt()).isEqualTo(2);
        assertThat(flight.get("error").asString()).isEqualTo("ConnectException: flights:443 refused");
        assertThat(flight.get("errorType").asString()).isEqualTo("java.net.ConnectException");
        JsonNode hotel = scope.get("commands").get(1);
        assertThat(hotel.get("status").asString()).isEqualTo("DONE");
        assertThat(hotel.get("durationMillis").isNumber()).isTrue();
    }

    @Test
    void o1h1OneScopeReadsAsTheRenderedTextBlockForTextPlain() throws Exception {
        String id = bookFailing("t2", 5);

        HttpResponse<String> response = get("/" + id, "text/plain");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        String[] lines = response.body().split("\n");
        assertThat(lines[0]).matches("compensation scope " + id
                + " Trips.book rolled back after \\d+ ms: IllegalStateException: card declined");
        assertThat(lines[1]).isEqualTo("  rollback  cancel flight t2   FAILED 2/2      "
                + "ConnectException: flights:443 refused");
        assertThat(lines[2]).matches("  rollback  cancel hotel t2    done            \\d+ ms");
        assertThat(lines[3]).startsWith("  state     failed, can be retried, updated ");
    }

    @Test
    void o1RetryOfACompensationThatFailedOnceRunsItAgainAndTheScopeNoLongerNeedsAttention() throws Exception {
        String id = bookFailing("t3", 2);
        assertThat(trips.cancelled()).doesNotContain("flight t3");

        HttpResponse<String> retried = post("/" + id + "/retry", null);

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(trips.cancelled()).contains("flight t3");
        assertThat(trips.mdcSeen()).as("O2: the retried command runs with its scope id in the MDC")
                .contains("t3 " + id);
        JsonNode scope = json.readTree(get("/" + id, "application/json").body());
        assertThat(scope.get("state").asString()).isEqualTo("RESOLVED");
        assertThat(scope.get("needsAttention").asBoolean()).isFalse();
        assertThat(scope.get("commands").get(0).get("status").asString()).isEqualTo("DONE");
        assertThat(idsNeedingAttention()).doesNotContain(id);
        assertThat(post("/" + id + "/retry", null).statusCode()).isEqualTo(409);
    }

    @Test
    void o1RetryThatFailsAgainKeepsTheScopeNeedingAttentionWithTheNewAttempts() throws Exception {
        String id = bookFailing("t4", 10);

        HttpResponse<String> retried = post("/" + id + "/retry", null);

        assertThat(retried.statusCode()).isEqualTo(200);
        JsonNode scope = json.readTree(get("/" + id, "application/json").body());
        assertThat(scope.get("state").asString()).isEqualTo("FAILED");
        assertThat(scope.get("commands").get(0).get("attempts").asInt()).isEqualTo(2);
        assertThat(trips.failuresLeft("t4")).isEqualTo(6);
        assertThat(idsNeedingAttention()).contains(id);
    }

    @Test
    void o1ResolveWithANoteAndDiscardTakeScopesOffTheAttentionList() throws Exception {
        String resolved = bookFailing("t5", 10);
        String discarded = bookFailing("t6", 10);

        assertThat(post("/" + resolved + "/resolve", "{\"note\":\"flight cancelled by phone\"}").statusCode())
                .isEqualTo(200);
        assertThat(post("/" + discarded + "/discard", null).statusCode()).isEqualTo(200);

        assertThat(idsNeedingAttention()).doesNotContain(resolved, discarded);
        JsonNode scope = json.readTree(get("/" + resolved, "application/json").body());
        assertThat(scope.get("state").asString()).isEqualTo("RESOLVED");
        assertThat(scope.get("note").asString()).isEqualTo("flight cancelled by phone");
        assertThat(scope.get("retryable").asBoolean()).isFalse();
        assertThat(json.readTree(get("/" + discarded, "application/json").body()).get("state").asString())
                .isEqualTo("DISCARDED");
        assertThat(trips.cancelled()).doesNotContain("flight t5", "flight t6");
        String listed = get("?state=resolved,discarded", "application/json").body();
        assertThat(listed).contains(resolved, discarded);
    }

    @Test
    void o1ListFiltersByStateAndAgeAndRejectsUnknownValues() throws Exception {
        String id = bookFailing("t7", 10);

        assertThat(get("?state=failed&newerThan=1h", "application/json").body()).contains(id);
        assertThat(get("?state=failed&olderThan=1h", "application/json").body()).doesNotContain(id);
        assertThat(get("?state=pending", "application/json").body()).doesNotContain(id);
        assertThat(get("?state=all&limit=500", "application/json").body()).contains(id);
        assertThat(get("?state=failed", "text/plain").body()).contains("compensation scope " + id);
        assertThat(get("?state=broken", "application/json").statusCode()).isEqualTo(400);
        assertThat(get("?olderThan=soon", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void o1UnknownScopeOrActionAnswersNotFoundOrBadRequest() throws Exception {
        String id = bookFailing("t8", 10);

        assertThat(get("/no-such-scope", "application/json").statusCode()).isEqualTo(404);
        assertThat(post("/no-such-scope/retry", null).statusCode()).isEqualTo(404);
        assertThat(post("/" + id + "/explode", null).statusCode()).isEqualTo(400);
    }
}
