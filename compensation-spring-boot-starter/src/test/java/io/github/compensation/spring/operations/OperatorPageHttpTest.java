package io.github.compensation.spring.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operator page (clause O4) is the {@code compensations} endpoint itself answering a browser: off by default
 * (a browser then gets the endpoint's JSON), and with {@code compensation.operations.page.enabled=true} one HTML
 * document, its CSS and script inlined, at the endpoint's own paths, so that it is exposed and protected exactly like
 * the endpoint.
 */
class OperatorPageHttpTest {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final String SOME_ID = "/6453a1cb-811c-45da-8592-6cd90d6022ac";

    @SpringBootApplication
    static class App {
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "management.endpoints.web.exposure.include=compensations",
            "compensation.operations.page.enabled=true",
            "spring.datasource.url=jdbc:h2:mem:ops-page-on;DB_CLOSE_DELAY=-1"})
    class Enabled {

        @LocalServerPort
        int port;

        @Test
        void o4BrowserGetsThePageAtTheEndpointsPathsAndScriptsStillGetJson() throws Exception {
            OperationsHttp http = new OperationsHttp(port);

            for (String path : new String[] {"", SOME_ID}) {
                HttpResponse<String> page = http.get(path, BROWSER_ACCEPT);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/html"));
                assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<title>Compensations</title>",
                        "name=\"viewport\"", "id=\"scope-list\"", "id=\"action-retry\"", "<dialog id=\"confirm\"")
                        .doesNotContain("/*CSS*/", "/*JS*/");
            }
            assertThat(http.get("", "application/json").headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(http.get("", "*/*").body()).startsWith("{\"scopes\"");
        }
    }

    @Nested
    @SpringBootTest(classes = App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "management.endpoints.web.exposure.include=compensations",
            "spring.datasource.url=jdbc:h2:mem:ops-page-off;DB_CLOSE_DELAY=-1"})
    class OffByDefault {

        @LocalServerPort
        int port;

        @Test
        void o4WithoutThePropertyABrowserGetsJson() throws Exception {
            HttpResponse<String> answer = new OperationsHttp(port).get("", BROWSER_ACCEPT);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(answer.body()).doesNotContain("<html");
        }
    }
}
