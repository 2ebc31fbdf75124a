package io.github.compensation.spring.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.support.Compensations;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Clause O3 over real HTTP, with the in-memory store: what does not apply is refused with a problem detail and changes
 * nothing, every note is kept with who and when, and a retry adds to the history instead of rewriting it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=compensations",
        "compensation.retry.max-attempts=2",
        "spring.datasource.url=jdbc:h2:mem:ops-refusals;DB_CLOSE_DELAY=-1"})
class EndpointRefusalsHttpTest {

    @SpringBootApplication
    @Import(Trips.class)
    static class App {
    }

    /** Books trips: {@code book} fails after registering a cancellation that fails as often as asked. */
    @Service
    static class Trips {

        final RollbackCommands rollback;
        final DispatchCommands dispatch;
        final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

        Trips(RollbackCommands rollback, DispatchCommands dispatch) {
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        @RollbackOnceFailed
        public void book(String trip, int cancelFailures) {
            failuresLeft.put(trip, new AtomicInteger(cancelFailures));
            rollback.append("cancel flight " + trip, () -> {
                if (failuresLeft.get(trip).getAndDecrement() > 0) {
                    throw new ConnectException("flights:443 refused");
                }
            });
            throw new IllegalStateException("card declined");
        }

        @RollbackOnceFailed
        @DispatchAfterCommit
        public String bookFine(String trip) {
            rollback.append("cancel flight " + trip, () -> { });
            dispatch.append("trip booked " + trip, () -> { });
            return Compensations.currentScope().id();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Trips trips;

    private OperationsHttp http() {
        return new OperationsHttp(port);
    }

    private String bookFailing(String trip, int cancelFailures) throws Exception {
        assertThatThrownBy(() -> trips.book(trip, cancelFailures)).hasMessage("card declined");
        for (JsonNode scope : http().json(http().get("?state=failed", "application/json")).get("scopes")) {
            if (scope.get("commands").get(0).get("description").asString().equals("cancel flight " + trip)) {
                return scope.get("id").asString();
            }
        }
        throw new AssertionError("scope of " + trip + " not listed");
    }

    @Test
    void o3ResolveOrDiscardOfAScopeThatNeedsNobodyIsRefusedWith409AndChangesNothing() throws Exception {
        String id = trips.bookFine("fine");
        String before = http().get("/" + id, "application/json").body();

        for (String action : new String[] {"resolve", "discard"}) {
            HttpResponse<String> refused = http().post("/" + id + "/" + action, "{\"note\":\"by hand\"}");

            OperationsHttp.assertProblem(refused, 409);
            JsonNode problem = http().json(refused);
            assertThat(problem.get("detail").asString()).contains("needs nobody", "settled",
                    "nothing to " + action);
            assertThat(problem.get("title").asString()).isEqualTo("Conflict");
            assertThat(problem.get("scopeId").asString()).isEqualTo(id);
        }

        String after = http().get("/" + id, "application/json").body();
        assertThat(after).isEqualTo(before);
        assertThat(http().json(http().get("/" + id, "application/json")).get("state").asString())
                .isEqualTo("SETTLED");
    }

    @Test
    void o3EveryNoteIsKeptWithWhoAndWhenAndASecondResolveIsRefused() throws Exception {
        String id = bookFailing("notes", 10);

        assertThat(http().post("/" + id + "/resolve",
                "{\"note\":\"cancelled by phone, ticket 4711\",\"by\":\"alice\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> second = http().post("/" + id + "/resolve", "{\"note\":\"other text\",\"by\":\"bob\"}");
        OperationsHttp.assertProblem(second, 409);
        assertThat(http().post("/" + id + "/note", "{\"note\":\"airline confirmed by mail\",\"by\":\"bob\"}")
                .statusCode()).isEqualTo(200);

        JsonNode scope = http().json(http().get("/" + id, "application/json"));
        JsonNode history = scope.get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("action").asString()).isEqualTo("RESOLVE");
        assertThat(history.get(0).get("by").asString()).isEqualTo("alice");
        assertThat(history.get(0).get("note").asString()).isEqualTo("cancelled by phone, ticket 4711");
        assertThat(history.get(0).get("at").asString()).isNotBlank();
        assertThat(history.get(1).get("action").asString()).isEqualTo("NOTE");
        assertThat(history.get(1).get("by").asString()).isEqualTo("bob");
        assertThat(history.get(1).get("note").asString()).isEqualTo("airline confirmed by mail");
        assertThat(scope.get("state").asString()).isEqualTo("RESOLVED");
        assertThat(http().get("/" + id, "text/plain").body())
                .contains("resolve by alice: cancelled by phone, ticket 4711", "note by bob: airline confirmed");
    }

    @Test
    void o3RetryAddsAttemptsToTheHistoryAndKeepsStartDurationAndEarlierAttempts() throws Exception {
        String id = bookFailing("retry", 3);
        JsonNode failed = http().json(http().get("/" + id, "application/json"));

        HttpResponse<String> retried = http().post("/" + id + "/retry", "{\"by\":\"alice\"}");

        assertThat(retried.statusCode()).isEqualTo(200);
        JsonNode scope = http().json(http().get("/" + id, "application/json"));
        assertThat(scope.get("startedAt").asString()).isEqualTo(failed.get("startedAt").asString());
        assertThat(scope.get("durationMillis").asLong()).isEqualTo(failed.get("durationMillis").asLong());
        assertThat(scope.get("state").asString()).isEqualTo("RESOLVED");
        JsonNode flight = scope.get("commands").get(0);
        assertThat(flight.get("status").asString()).isEqualTo("DONE");
        assertThat(flight.get("attempts").asInt()).isEqualTo(2);
        assertThat(flight.get("earlier")).hasSize(1);
        JsonNode earlier = flight.get("earlier").get(0);
        assertThat(earlier.get("status").asString()).isEqualTo("FAILED");
        assertThat(earlier.get("attempts").asInt()).isEqualTo(2);
        assertThat(earlier.get("error").asString()).isEqualTo("ConnectException: flights:443 refused");
        assertThat(earlier.get("retriedBy").asString()).isEqualTo("alice");
        assertThat(scope.get("history").get(0).get("action").asString()).isEqualTo("RETRY");
    }

    @Test
    void o3UnknownOrMalformedIdAnswers404ProblemThatSaysSo() throws Exception {
        String unknown = "6453a1cb-811c-45da-8592-6cd90d6022ac";

        HttpResponse<String> missing = http().get("/" + unknown, "application/json");
        OperationsHttp.assertProblem(missing, 404);
        assertThat(http().json(missing).get("detail").asString()).contains("No scope " + unknown + " is kept");

        HttpResponse<String> malformed = http().get("/not-a-scope", "application/json");
        OperationsHttp.assertProblem(malformed, 404);
        assertThat(http().json(malformed).get("detail").asString()).contains("'not-a-scope' is not a scope id");

        OperationsHttp.assertProblem(http().post("/" + unknown + "/resolve", null), 404);
        OperationsHttp.assertProblem(http().post("/not-a-scope/retry", null), 404);
    }

    @Test
    void o3BadFiltersAnswer400ProblemNamingTheParameterAndTheAcceptedValues() throws Exception {
        Map<String, String> cases = Map.of(
                "?state=bogus", "state",
                "?limit=-1", "limit",
                "?limit=ten", "limit",
                "?olderThan=xyz", "olderThan",
                "?newerThan=-5m", "newerThan");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> response = http().get(bad.getKey(), "application/json");

            OperationsHttp.assertProblem(response, 400);
            JsonNode problem = http().json(response);
            assertThat(problem.get("parameter").asString()).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(problem.get("detail").asString()).as(bad.getKey()).contains(bad.getValue());
            assertThat(problem.get("accepted").isArray()).as(bad.getKey()).isTrue();
        }
        assertThat(http().json(http().get("?state=bogus", "application/json")).get("accepted").toString())
                .contains("failed", "pending", "settled", "resolved", "discarded");
        OperationsHttp.assertProblem(http().post("/6453a1cb-811c-45da-8592-6cd90d6022ac/explode", null), 400);
    }
}
