package io.github.compensation.spring.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** Clause O1: without {@code management.endpoints.web.exposure.include} naming it, nothing answers over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:ops-hidden;DB_CLOSE_DELAY=-1")
class CompensationsEndpointNotExposedTest {

    @SpringBootApplication
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void o1EndpointIsNotReachableOverHttpUnlessExposed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> scopes = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/compensations")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> retry = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/compensations/any/retry"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/compensations")).header("Accept", "text/html")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(scopes.statusCode()).isEqualTo(404);
        assertThat(page.statusCode()).as("O4: the page is only where the endpoint is").isEqualTo(404);
        assertThat(retry.statusCode()).isEqualTo(404);
        assertThat(context.getBeanNamesForType(CompensationsEndpoint.class)).isEmpty();
    }
}
