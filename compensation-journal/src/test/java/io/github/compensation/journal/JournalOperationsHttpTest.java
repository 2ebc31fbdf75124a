package io.github.compensation.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.store.InMemoryScopeStore;
import io.github.compensation.store.ScopeStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With the journal on, the {@code compensations} endpoint over real HTTP and the attention gauges show the journal's
 * durable state (O1, O2): dead dispatches (J3) and failed compensations are listed with their reason, and a person's
 * retry, resolve or discard acts on the journal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:journal-ops;DB_CLOSE_DELAY=-1",
        "management.endpoints.web.exposure.include=compensations",
        "compensation.journal.enabled=true", "compensation.journal.initialize-schema=true",
        "compensation.journal.table-prefix=ops_", "compensation.journal.poll-interval=100ms",
        "compensation.journal.lease=10s", "compensation.journal.backoff.delay=0ms",
        "compensation.journal.dispatch.max-attempts=2", "compensation.retry.max-attempts=1",
        "spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
                + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
class JournalOperationsHttpTest {

    @SpringBootApplication
    @Import({Partners.class, Orders.class})
    static class App {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** A mailer and a payment provider that fail, for a given order, until the test lets them succeed. */
    @Service
    public static class Partners {
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final List<String> calls = new CopyOnWriteArrayList<>();

        public void mail(String order) {
            if (failing.contains(order)) {
                throw new IllegalStateException("mail server down for " + order);
            }
            calls.add("mailed " + order);
        }

        public void refund(String order) {
            if (failing.contains(order)) {
                throw new IllegalStateException("payments refused refund of " + order);
            }
            calls.add("refunded " + order);
        }
    }

    @Service
    public static class Orders {
        final JdbcTemplate jdbc;
        final DurableRollbackCommands rollback;
        final DurableDispatchCommands dispatch;

        Orders(JdbcTemplate jdbc, DurableRollbackCommands rollback, DurableDispatchCommands dispatch) {
            this.jdbc = jdbc;
            this.rollback = rollback;
            this.dispatch = dispatch;
        }

        @DispatchAfterCommit
        @Transactional
        public void place(String order) {
            jdbc.update("insert into ops_orders (id) values (?)", order);
            dispatch.append(Partners.class).mail(order);
        }

        @RollbackOnceFailed
        @Transactional
        public void charge(String order) {
            rollback.append(Partners.class).refund(order);
            throw new IllegalStateException("stock gone for " + order);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Orders orders;

    @Autowired
    Partners partners;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/compensations" + path))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/compensations" + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The scopes the default listing shows (those needing attention) whose commands mention the order. */
    private List<JsonNode> listed(String order) throws Exception {
        HttpResponse<String> response = get("");
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        json.readTree(response.body()).get("scopes").forEach(scope -> {
            if (scope.toString().contains(order)) {
                found.add(scope);
            }
        });
        return found;
    }

    private double failedGauge() {
        Gauge gauge = meters.find("compensation.attention").tag("state", "failed").gauge();
        assertThat(gauge).isNotNull();
        return gauge.value();
    }

    @Test
    void theJournalBacksTheEndpointAndTheInMemoryStoreIsNotThere_O1() {
        assertThat(context.getBean(ScopeStore.class)).isInstanceOf(JournalScopeStore.class);
        assertThat(context.getBeansOfType(InMemoryScopeStore.class)).isEmpty();
    }

    @Test
    void deadDispatchIsListedWithItsReasonCountedByTheGaugeAndDeliveredAfterRetry_O1_O2_J3() throws Exception {
        jdbc.execute("create table if not exists ops_orders (id varchar(20) primary key)");
        double failedBefore = failedGauge();
        partners.failing.add("O-1");

        orders.place("O-1");

        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-1").size() == 1);
        JsonNode scope = listed("O-1").get(0);
        assertThat(scope.get("state").asString()).isEqualTo("FAILED");
        assertThat(scope.get("retryable").asBoolean()).isTrue();
        JsonNode command = scope.get("commands").get(0);
        assertThat(command.get("kind").asString()).isEqualTo("DISPATCH");
        assertThat(command.get("status").asString()).isEqualTo("FAILED");
        assertThat(command.get("attempts").asInt()).isEqualTo(2);
        assertThat(command.get("note").asString()).contains("dead after 2 attempt(s)")
                .contains("mail server down for O-1");
        assertThat(failedGauge()).isEqualTo(failedBefore + 1);
        assertThat(partners.calls).doesNotContain("mailed O-1");

        partners.failing.remove("O-1");
        String id = scope.get("id").asString();
        HttpResponse<String> retried = post("/" + id + "/retry", null);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json.readTree(retried.body()).get("id").asString()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(10)).until(() -> partners.calls.contains("mailed O-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-1").isEmpty());
        assertThat(json.readTree(get("/" + id).body()).get("state").asString()).isEqualTo("SETTLED");
        assertThat(failedGauge()).isEqualTo(failedBefore);
        assertThat(post("/" + id + "/retry", null).statusCode()).as("nothing left to retry").isEqualTo(409);
    }

    @Test
    void failedCompensationIsListedAndAPersonResolvesIt_O1_T3() throws Exception {
        partners.failing.add("O-2");

        assertThatThrownBy(() -> orders.charge("O-2")).hasMessage("stock gone for O-2");

        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-2").size() == 1);
        JsonNode scope = listed("O-2").get(0);
        assertThat(scope.get("state").asString()).isEqualTo("FAILED");
        assertThat(scope.get("name").asString()).contains("charge");
        assertThat(scope.get("outcome").asString()).isEqualTo("ROLLED_BACK");
        JsonNode command = scope.get("commands").get(0);
        assertThat(command.get("kind").asString()).isEqualTo("COMPENSATION");
        assertThat(command.get("status").asString()).isEqualTo("FAILED");

        String id = scope.get("id").asString();
        HttpResponse<String> resolved = post("/" + id + "/resolve", "{\"note\": \"refunded by hand\"}");
        assertThat(resolved.statusCode()).isEqualTo(200);
        JsonNode after = json.readTree(resolved.body());
        assertThat(after.get("state").asString()).isEqualTo("RESOLVED");
        assertThat(after.get("commands").get(0).get("note").asString())
                .startsWith("resolved by a person: refunded by hand");

        assertThat(listed("O-2")).isEmpty();
        assertThat(json.readTree(get("?state=resolved").body()).get("scopes").toString()).contains(id);
        assertThat(post("/" + id + "/resolve", null).statusCode()).as("already resolved").isEqualTo(409);
        assertThat(partners.calls).doesNotContain("refunded O-2");
    }

    @Test
    void failedCompensationRunsAgainAfterRetry_O1_T3() throws Exception {
        partners.failing.add("O-3");

        assertThatThrownBy(() -> orders.charge("O-3")).hasMessage("stock gone for O-3");
        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-3").size() == 1);
        String id = listed("O-3").get(0).get("id").asString();

        partners.failing.remove("O-3");
        assertThat(post("/" + id + "/retry", null).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> partners.calls.contains("refunded O-3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-3").isEmpty());
        assertThat(json.readTree(get("/" + id).body()).get("state").asString()).isEqualTo("SETTLED");
    }

    @Test
    void deadDispatchCanBeDiscarded_O1_J3() throws Exception {
        jdbc.execute("create table if not exists ops_orders (id varchar(20) primary key)");
        partners.failing.add("O-4");

        orders.place("O-4");
        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-4").size() == 1);
        String id = listed("O-4").get(0).get("id").asString();

        HttpResponse<String> discarded = post("/" + id + "/discard", "{\"note\": \"customer cancelled\"}");
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(json.readTree(discarded.body()).get("state").asString()).isEqualTo("DISCARDED");
        assertThat(listed("O-4")).isEmpty();
        assertThat(get("/unknown-id").statusCode()).isEqualTo(404);
    }

    private List<String> settledIds() throws Exception {
        List<String> ids = new ArrayList<>();
        json.readTree(get("?state=settled&limit=1000").body()).get("scopes")
                .forEach(scope -> ids.add(scope.get("id").asString()));
        return ids;
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    @Test
    void resolveOrDiscardOfADeliveredDispatchIsRefusedWith409AndChangesNothing_O3() throws Exception {
        jdbc.execute("create table if not exists ops_orders (id varchar(20) primary key)");
        List<String> settledBefore = settledIds();
        orders.place("O-5");
        await().atMost(Duration.ofSeconds(10)).until(() -> partners.calls.contains("mailed O-5"));
        List<String> added = await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> now = settledIds();
            now.removeAll(settledBefore);
            return now;
        }, now -> now.size() == 1);
        String id = added.get(0);
        String before = get("/" + id).body();

        for (String action : new String[] {"resolve", "discard"}) {
            HttpResponse<String> refused = post("/" + id + "/" + action, "{\"note\": \"by hand\"}");
            assertProblem(refused, 409);
            assertThat(json.readTree(refused.body()).get("detail").asString()).contains("needs nobody");
        }

        assertThat(get("/" + id).body()).isEqualTo(before);
        assertThat(json.readTree(before).get("state").asString()).isEqualTo("SETTLED");
    }

    @Test
    void everyNoteIsKeptWithWhoAndWhenAndASecondResolveIsRefused_O3() throws Exception {
        partners.failing.add("O-6");
        assertThatThrownBy(() -> orders.charge("O-6")).hasMessage("stock gone for O-6");
        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-6").size() == 1);
        String id = listed("O-6").get(0).get("id").asString();

        assertThat(post("/" + id + "/resolve", "{\"note\": \"refunded by phone, ticket 4711\", \"by\": \"alice\"}")
                .statusCode()).isEqualTo(200);
        assertProblem(post("/" + id + "/resolve", "{\"note\": \"other\", \"by\": \"bob\"}"), 409);
        assertThat(post("/" + id + "/note", "{\"note\": \"customer confirmed\", \"by\": \"bob\"}").statusCode())
                .isEqualTo(200);

        JsonNode history = json.readTree(get("/" + id).body()).get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("action").asString()).isEqualTo("RESOLVE");
        assertThat(history.get(0).get("by").asString()).isEqualTo("alice");
        assertThat(history.get(0).get("note").asString()).isEqualTo("refunded by phone, ticket 4711");
        assertThat(history.get(0).get("at").asString()).isNotBlank();
        assertThat(history.get(1).get("action").asString()).isEqualTo("NOTE");
        assertThat(history.get(1).get("by").asString()).isEqualTo("bob");
        assertThat(history.get(1).get("note").asString()).isEqualTo("customer confirmed");
    }

    @Test
    void retryKeepsTheScopesStartDurationAndEarlierAttempts_O3() throws Exception {
        partners.failing.add("O-7");
        assertThatThrownBy(() -> orders.charge("O-7")).hasMessage("stock gone for O-7");
        await().atMost(Duration.ofSeconds(10)).until(() -> listed("O-7").size() == 1);
        JsonNode failed = listed("O-7").get(0);
        String id = failed.get("id").asString();

        partners.failing.remove("O-7");
        assertThat(post("/" + id + "/retry", "{\"by\": \"alice\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> partners.calls.contains("refunded O-7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(get("/" + id).body()).get("state")
                .asString().equals("SETTLED"));

        JsonNode scope = json.readTree(get("/" + id).body());
        assertThat(scope.get("startedAt").asString()).isEqualTo(failed.get("startedAt").asString());
        assertThat(scope.get("durationMillis").asLong()).isEqualTo(failed.get("durationMillis").asLong());
        JsonNode command = scope.get("commands").get(0);
        assertThat(command.get("status").asString()).isEqualTo("DONE");
        JsonNode earlier = command.get("earlier").get(0);
        assertThat(earlier.get("status").asString()).isEqualTo("FAILED");
        assertThat(earlier.get("attempts").asInt()).isEqualTo(failed.get("commands").get(0).get("attempts").asInt());
        assertThat(earlier.get("note").asString()).contains("payments refused refund of O-7");
        assertThat(earlier.get("retriedBy").asString()).isEqualTo("alice");
        assertThat(scope.get("history").get(0).get("action").asString()).isEqualTo("RETRY");
    }

    @Test
    void unknownOrMalformedIdsAndBadFiltersAnswerProblemDetails_O3() throws Exception {
        assertProblem(get("/6453a1cb-811c-45da-8592-6cd90d6022ac"), 404);
        assertProblem(get("/not-a-scope"), 404);
        assertProblem(post("/6453a1cb-811c-45da-8592-6cd90d6022ac/resolve", null), 404);
        for (String bad : new String[] {"?state=bogus", "?limit=-1", "?olderThan=xyz"}) {
            HttpResponse<String> response = get(bad);
            assertProblem(response, 400);
            assertThat(json.readTree(response.body()).get("parameter").asString())
                    .isEqualTo(bad.substring(1, bad.indexOf('=')));
        }
    }
}
