package io.streamgate.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by the distribution's chromedriver ({@code apt-get install chromium chromium-driver}),
 * one per test class. Nothing is downloaded: Selenium Manager is told to stay offline and is given both binaries.
 * {@link #start()} skips the test class (a JUnit assumption) only when {@code /usr/bin/chromium} is absent; CI installs
 * it, so there the tests run.
 *
 * <p>Every page gets, before its own scripts, a recorder of uncaught errors, unhandled rejections and
 * Content-Security-Policy violations ({@link #pageErrors()}), so a test can assert that a page ran cleanly.
 */
public final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ERROR_RECORDER = """
            window.__pageErrors = [];
            addEventListener('error', (e) => __pageErrors.push('error: ' + e.message));
            addEventListener('unhandledrejection', (e) => __pageErrors.push('rejection: ' + e.reason));
            document.addEventListener('securitypolicyviolation',
                (e) => __pageErrors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
            """;

    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Chromium start() {
        return start(false);
    }

    /** One that accepts any certificate: for test servers whose certificate is made during the test. */
    public static Chromium startAcceptingTestCertificates() {
        return start(true);
    }

    private static Chromium start(boolean acceptInsecureCertificates) {
        assumeTrue(Files.isExecutable(BINARY), BINARY + " is absent: browser tests skipped (apt-get install chromium "
                + "chromium-driver)");
        System.setProperty("SE_OFFLINE", "true");
        try {
            Path profile = Files.createTempDirectory("streamgate-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BINARY.toFile());
            options.setAcceptInsecureCerts(acceptInsecureCertificates);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ERROR_RECORDER));
            return new Chromium(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(URI uri) {
        driver.get(uri.toString());
    }

    /** Runs a script in the page: {@code return …} to get a value (JSON values become maps and lists). */
    @SuppressWarnings("unchecked")
    public <T> T script(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script in the page; it calls {@code arguments[arguments.length - 1](result)} when done. */
    @SuppressWarnings("unchecked")
    public <T> T asyncScript(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits until {@code condition} returns something other than null or false. */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).until(condition);
    }

    /** Waits until the page expression is truthy, e.g. {@code "__events.length >= 3"}. */
    public void awaitTrue(String expression) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).withMessage(() -> "waiting for " + expression)
                .until(d -> Boolean.TRUE.equals(script("return !!(" + expression + ")")));
    }

    /** Uncaught errors, unhandled rejections and CSP violations of the current page. */
    public List<String> pageErrors() {
        List<String> errors = script("return window.__pageErrors || []");
        return errors;
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
