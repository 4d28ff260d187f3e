package io.tarn.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium per test (Debian's {@code chromium} driven by its {@code chromedriver}), with a
 * fresh profile and download directory, quit after the test. Register it in an instance field:
 *
 * <pre>
 * &#64;RegisterExtension final Browser browser = new Browser();
 * </pre>
 *
 * <p>The driver's path is given explicitly, so Selenium Manager never runs (it would try to download a
 * driver). A missing browser or driver fails the test with {@code CI=true} and skips it elsewhere, like
 * the other real clients ({@link Cli#require}). The driver's log, the browser's console and, for a
 * failed test, a screenshot and the page's HTML go to {@code target/it-browsers/}, named after the
 * test and, for a second browser in the same test, its own suffix ({@link #Browser(String)}).
 *
 * <p>After a test that passed, the browser's console must hold no uncaught script error and no
 * Content-Security-Policy violation (failed requests are expected and allowed): otherwise the test fails
 * with the console's lines ({@link #pageFaults}). A test that provokes one on purpose says so with
 * {@link #expectPageFaults}.
 */
public final class Browser implements BeforeEachCallback, AfterEachCallback {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String INSTALL_HINT = "apt-get install chromium chromium-driver";
  /** Where {@link #screenshot} writes, relative to the project root; unset (the default in CI): nowhere. */
  public static final String SCREENSHOTS_PROPERTY = "tarn.screenshots";

  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path workDir;
  private Path downloads;
  private String name;
  private final StringBuilder console = new StringBuilder();
  private final String suffix;
  private Supplier<Path> trustedCertificate = () -> null;
  private boolean pageFaultsExpected;

  /** The test's browser: its files are named after the test. */
  public Browser() {
    this("");
  }

  /**
   * Another browser in the same test (e.g. someone else's, with no session): {@code suffix} (letters,
   * digits, '-') is added to its file names, so its logs do not overwrite the first browser's.
   */
  public Browser(String suffix) {
    if (!suffix.matches("[A-Za-z0-9-]*")) {
      throw new IllegalArgumentException("a browser suffix is letters, digits and '-': " + suffix);
    }
    this.suffix = suffix;
  }

  /**
   * Makes this browser accept the TLS certificate whose PEM file {@code pem} gives when the test starts
   * (e.g. a server's self-signed one, made when the server started), and no other invalid one: Chromium's
   * {@code --ignore-certificate-errors-spki-list} with the SHA-256 of that certificate's public key,
   * rather than {@code --ignore-certificate-errors}, which would accept any.
   */
  public Browser trusting(Supplier<Path> pem) {
    this.trustedCertificate = pem;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    Path chromium = Cli.require("chromium", INSTALL_HINT, CHROMIUM);
    Path chromedriver = Cli.require("chromedriver", INSTALL_HINT, CHROMEDRIVER);
    name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName()
        + (suffix.isEmpty() ? "" : "-" + suffix);
    console.setLength(0);
    pageFaultsExpected = false;
    Path logs = TarnServerExtension.targetDir().resolve("it-browsers");
    Files.createDirectories(logs);
    workDir = Files.createTempDirectory(logs, name + "-");
    downloads = Files.createDirectories(workDir.resolve("downloads"));
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogFile(driverLog().toFile())
        .build();
    ChromeOptions options = options(chromium, workDir.resolve("profile"), downloads);
    Path pem = trustedCertificate.get();
    if (pem != null) {
      options.addArguments("--ignore-certificate-errors-spki-list=" + spkiHash(pem));
    }
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
  }

  /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI list wants it. */
  private static String spkiHash(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the certificate " + pem, e);
    }
  }

  private static ChromeOptions options(Path chromium, Path profile, Path downloads) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start; /dev/shm is small in containers.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-sync", "--disable-component-update", "--lang=en-US");
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("download.directory_upgrade", true);
    options.setExperimentalOption("prefs", prefs);
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    return options;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    String faults = "";
    try {
      if (driver != null) {
        Path logs = workDir.getParent();
        String log = consoleLog();
        writeQuietly(logs.resolve(name + ".console.log"), log);
        if (!pageFaultsExpected && context.getExecutionException().isEmpty()) {
          faults = pageFaults(log);
        }
        if (context.getExecutionException().isPresent()) {
          try {
            Files.write(logs.resolve(name + ".failed.png"), driver.getScreenshotAs(OutputType.BYTES));
            writeQuietly(logs.resolve(name + ".failed.html"), driver.getPageSource());
          } catch (RuntimeException e) {
            System.err.println("[it-tests] no failure screenshot for " + name + ": " + e);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // A browser that crashed has no state to give; the test's own failure is the one to report.
      System.err.println("[it-tests] cannot save the browser's state for " + name + ": " + e);
    } finally {
      try {
        if (driver != null) {
          driver.quit();
        }
      } finally {
        driver = null;
        if (service != null) {
          service.stop();
          service = null;
        }
        TarnServerExtension.deleteTree(workDir);
      }
    }
    if (!faults.isEmpty()) {
      throw new AssertionError("the page's own code failed or broke its Content-Security-Policy:\n" + faults);
    }
  }

  /** The console lines that show an uncaught script error or a Content-Security-Policy violation, one a line. */
  public static String pageFaults(String consoleLog) {
    return consoleLog.lines().filter(l -> l.contains("Uncaught") || l.contains("Content Security Policy"))
        .collect(Collectors.joining("\n"));
  }

  /** This test provokes page faults on purpose: they do not fail it. */
  public void expectPageFaults() {
    pageFaultsExpected = true;
  }

  /** The browser of the running test. */
  public ChromeDriver driver() {
    if (driver == null) {
      throw new IllegalStateException("Browser must be registered with @RegisterExtension on an instance field");
    }
    return driver;
  }

  /** The chromedriver's log of this browser, {@code target/it-browsers/<test>[-<suffix>].chromedriver.log}. */
  public Path driverLog() {
    return TarnServerExtension.targetDir().resolve("it-browsers").resolve(name + ".chromedriver.log");
  }

  /** The directory the browser saves downloads into (empty at the start of each test). */
  public Path downloads() {
    return downloads;
  }

  /**
   * A wait on this browser, polling every 100 ms; an element replaced while the condition looked at it
   * (the page redrew) just means "not yet".
   */
  public WebDriverWait waitUpTo(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver(), timeout, Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /**
   * The attribute {@code attribute} of every element matching {@code cssSelector}, read in one script
   * call, so a redraw between reads cannot mix two versions of the page.
   */
  public List<String> attributes(String cssSelector, String attribute) {
    Object values = driver().executeScript(
        "return Array.from(document.querySelectorAll(arguments[0]), (e) => e.getAttribute(arguments[1]));",
        cssSelector, attribute);
    return ((List<?>) values).stream().map(v -> v == null ? null : v.toString()).toList();
  }

  /**
   * Saves a PNG of the window as {@code <name>.png} in the directory named by the system property
   * {@value #SCREENSHOTS_PROPERTY} (relative to the project root), and only when it is set, so that
   * ordinary runs leave the working tree clean.
   */
  public void screenshot(String fileName) {
    String dir = System.getProperty(SCREENSHOTS_PROPERTY);
    if (dir == null || dir.isBlank()) {
      return;
    }
    Path root = TarnServerExtension.targetDir().getParent().getParent();
    Path out = root.resolve(dir).resolve(fileName + ".png");
    try {
      Files.createDirectories(out.getParent());
      Files.write(out, driver().getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }

  /** The browser's console messages since the test began (JavaScript errors, CSP violations), one a line. */
  public String consoleLog() {
    // The driver hands each entry out once: keep them, so the test and the saved log both see all.
    for (LogEntry e : driver().manage().logs().get(LogType.BROWSER).getAll()) {
      console.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n');
    }
    return console.toString();
  }

  /**
   * Limits what the page sends to about {@code bytesPerSecond} (Chrome's network emulation through the
   * DevTools protocol; downloads unlimited), so an upload can be watched, reloaded or cancelled mid-way.
   */
  public void throttleUploads(long bytesPerSecond) {
    emulateNetwork(false, bytesPerSecond);
  }

  /** Ends {@link #throttleUploads} and {@link #goOffline}: the network as it really is. */
  public void unthrottle() {
    emulateNetwork(false, -1);
  }

  /**
   * Drops the page's network as a lost connection does: requests fail and {@code navigator.onLine}
   * turns false (with an {@code offline} event), until {@link #unthrottle} or {@link #throttleUploads}.
   */
  public void goOffline() {
    emulateNetwork(true, -1);
  }

  private void emulateNetwork(boolean offline, long uploadBytesPerSecond) {
    driver().executeCdpCommand("Network.enable", Map.of());
    driver().executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
        "downloadThroughput", -1, "uploadThroughput", uploadBytesPerSecond));
  }

  /** Absolute path of {@code file} as a file input's {@code sendKeys} wants it. */
  public static String inputPath(Path file) {
    return file.toAbsolutePath().toString();
  }

  /** Several files for one {@code <input type=file multiple>}: their paths, one a line. */
  public static String inputPaths(List<Path> files) {
    return files.stream().map(Browser::inputPath).collect(Collectors.joining("\n"));
  }

  private static void writeQuietly(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
