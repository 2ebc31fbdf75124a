package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.partner.ReservationStatus;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;

/**
 * The operator page (clause O4) in a real headless Chromium, driven by Selenium, against the sample application on a
 * random port: a failed booking appears in the list, the operator opens it and sees the failed undo step, retries it
 * once the partner is back, and the scope leaves the list; a resolve with a note shows the note with who wrote it.
 * Needs Debian's {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs them).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static WebDriver browser;
    private static Path profile;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The operator page test needs Chromium and ChromeDriver at " + CHROMIUM
                    + " and " + CHROMEDRIVER + ": install them with `apt-get update && apt-get install -y chromium"
                    + " chromium-driver` (as root; .ci/run does it)");
        }
        profile = Files.createTempDirectory("operator-page-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    /** Books a trip whose payment is refused and whose flight cannot be cancelled; returns its scope id. */
    private String failedBooking(SampleHttp http, String tripRef) {
        ResponseEntity<Map<String, Object>> response = http.post("/trips", """
                {"customer": "Carla Dias", "destination": "Rome", "bookingRef": "%s",
                 "fail": {"payments": "REFUSE", "flights": "CANCEL_FAILS"}}""".formatted(tripRef));
        assertThat(response.getStatusCode().value()).isEqualTo(502);
        return (String) response.getBody().get("scope");
    }

    private void confirm() {
        WebElement yes = waiting().until(ExpectedConditions.elementToBeClickable(By.id("confirm-yes")));
        assertThat(browser.findElement(By.id("confirm-text")).getText()).isNotBlank();
        yes.click();
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    @Test
    void o4FailedBookingAppearsIsOpenedRetriedOnceThePartnerIsBackAndLeavesTheList() {
        SampleHttp http = new SampleHttp(port);
        String tripRef = "PAGE-" + UUID.randomUUID().toString().substring(0, 8);
        String scope = failedBooking(http, tripRef);
        By row = By.cssSelector("li[data-scope-id='" + scope + "'] a");

        browser.get("http://localhost:" + port + "/actuator/compensations");
        waiting().until(ExpectedConditions.elementToBeClickable(row)).click();

        WebElement failed = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#timeline li[data-status='FAILED']")));
        assertThat(failed.getText()).contains("cancel flight FL-", "cancellation failed (simulated)", "1/1");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("cancel hotel HO-");
        assertThat(browser.findElement(By.id("facts")).getText()).contains(scope, "PartnerRefusedException");
        screenshot("operator-page-scope.png");

        Reservation flight = http.reservations(PartnerName.FLIGHTS, tripRef).get(0);
        assertThat(http.post("/partners/flights/" + flight.reference() + "/recover").getStatusCode().value())
                .isEqualTo(200);
        browser.findElement(By.id("action-retry")).click();
        confirm();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
                "the scope is now resolved"));
        WebElement retried = browser.findElements(By.cssSelector("#timeline > li")).stream()
                .filter(command -> command.getText().contains("cancel flight")).findFirst().orElseThrow();
        assertThat(retried.getAttribute("data-status")).isEqualTo("DONE");
        assertThat(retried.getText()).contains("before the retry by", "failed after 1 attempt(s)");
        assertThat(http.reservations(PartnerName.FLIGHTS, tripRef)).extracting(Reservation::status)
                .containsExactly(ReservationStatus.CANCELLED);

        browser.findElement(By.id("back")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("list-view")));
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(row));
        assertThat(browser.findElements(row)).isEmpty();
    }

    @Test
    void o4ResolveWithANoteShowsTheNoteWithWhoWroteIt() {
        SampleHttp http = new SampleHttp(port);
        String scope = failedBooking(http, "NOTE-" + UUID.randomUUID().toString().substring(0, 8));

        browser.get("http://localhost:" + port + "/actuator/compensations/" + scope);
        waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#timeline li[data-status='FAILED']")));
        browser.findElement(By.id("note")).sendKeys("flight cancelled by phone, ticket 4711");
        WebElement by = browser.findElement(By.id("by"));
        by.clear();
        by.sendKeys("alice");
        browser.findElement(By.id("action-resolve")).click();
        confirm();

        WebElement entry = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#history li[data-action='RESOLVE']")));
        assertThat(entry.getText()).contains("resolve by alice", "flight cancelled by phone, ticket 4711");
        assertThat(browser.findElement(By.id("facts")).getText()).contains("RESOLVED");
        assertThat(browser.findElement(By.id("action-resolve")).isEnabled()).isFalse();

        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("operator-page-phone.png");
        browser.manage().window().setSize(new Dimension(1200, 1000));
        List<WebElement> resolved = browser.findElements(By.cssSelector("#history li"));
        assertThat(resolved).hasSize(1);
    }
}
