package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its chromium-driver, for the dashboard's browser tests.
 * Both binaries are named explicitly (Selenium never looks for or downloads a driver), the profile
 * is fresh per browser, and the flags keep Chromium from reaching outside the machine.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of(System.getProperty("dashboard.screenshots", "target/dashboard-screenshots"));
  private static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A new headless Chromium with an empty profile under {@code profile}; fails clearly when Chromium is not installed. */
  static Browser open(Path profile) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("The dashboard's browser tests need Debian's chromium and chromium-driver packages ("
          + CHROMIUM + " and " + CHROMEDRIVER + " are missing): apt-get install chromium chromium-driver "
          + "(.ci/run installs them), or point -Dchromium.binary and -Dchromedriver.binary at them.");
    }
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    Files.createDirectories(profile);
    Files.createDirectories(SCREENSHOTS);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1440,2200",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new Browser(new ChromeDriver(service, options));
  }

  void get(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The visible text of the element, or "" when there is none. */
  String text(String css) {
    List<WebElement> found = findAll(css);
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** The text of the element including hidden parts ({@code textContent}). */
  String textContent(String css) {
    Object text = script("const n = document.querySelector(arguments[0]); return n ? n.textContent : '';", css);
    return text == null ? "" : text.toString();
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  Object asyncScript(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  /** Waits until {@code condition} holds; on timeout saves a screenshot and fails with {@code what} and the page's text. */
  void await(String what, Supplier<Boolean> condition) {
    await(what, condition, () -> "");
  }

  /** As {@link #await(String, Supplier)}, adding {@code context} (e.g. the server's log) to a failure. */
  void await(String what, Supplier<Boolean> condition, Supplier<String> context) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
    Path shot = screenshot("timeout");
    fail("timed out after " + WAIT + " waiting for " + what + " (screenshot " + shot + ", last error " + last + ")\npage text:\n" + text("body")
        + "\n" + context.get());
  }

  /** Saves a PNG of the window under {@link #SCREENSHOTS}. */
  Path screenshot(String name) {
    try {
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException | RuntimeException e) {
      return Path.of("(no screenshot: " + e + ")");
    }
  }

  /** Browser console lines at SEVERE level (script errors, CSP violations, failed loads). */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
