package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/** The browser fixture on its own: Debian's chromium starts headless, runs script, and is quit; two keep apart. */
class BrowserTest {
  @RegisterExtension
  final Browser browser = new Browser();
  @RegisterExtension
  final Browser second = new Browser("second");

  @Test
  void opensABlankPageInAHeadlessChromium() {
    browser.driver().get("about:blank");
    assertEquals("about:blank", browser.driver().getCurrentUrl());
    Object agent = ((JavascriptExecutor) browser.driver()).executeScript("return navigator.userAgent");
    assertTrue(String.valueOf(agent).contains("HeadlessChrome"), () -> "not headless: " + agent);
    Object width = ((JavascriptExecutor) browser.driver()).executeScript("return window.outerWidth");
    assertEquals(1280L, width);
    String version = String.valueOf(browser.driver().getCapabilities().getBrowserVersion());
    assertTrue(version.matches("\\d+\\..*"), version);
    assertTrue(Files.isDirectory(browser.downloads()));
  }

  @Test
  void twoBrowsersInOneTestKeepTheirOwnLogs() throws IOException {
    browser.driver().get("about:blank");
    second.driver().get("about:blank");
    assertEquals("BrowserTest-twoBrowsersInOneTestKeepTheirOwnLogs.chromedriver.log",
        browser.driverLog().getFileName().toString());
    assertEquals("BrowserTest-twoBrowsersInOneTestKeepTheirOwnLogs-second.chromedriver.log",
        second.driverLog().getFileName().toString());
    assertTrue(Files.size(browser.driverLog()) > 0, "the first browser's driver wrote no log");
    assertTrue(Files.size(second.driverLog()) > 0, "the second browser's driver wrote no log");
    assertNotEquals(browser.downloads(), second.downloads());
  }

  @Test
  void anUncaughtErrorOrACspViolationIsAPageFault() {
    browser.driver().get("about:blank");
    ((JavascriptExecutor) browser.driver()).executeScript("setTimeout(() => { throw new Error('on purpose'); })");
    browser.waitUpTo(java.time.Duration.ofSeconds(10)).until(d -> !Browser.pageFaults(browser.consoleLog()).isEmpty());
    assertTrue(Browser.pageFaults(browser.consoleLog()).contains("on purpose"), browser.consoleLog());
    assertEquals("", Browser.pageFaults("SEVERE http://x/a - Failed to load resource: 404\nINFO fine"));
    assertEquals("SEVERE Refused to load the script because it violates the following Content Security Policy",
        Browser.pageFaults("INFO fine\nSEVERE Refused to load the script because it violates the following Content"
            + " Security Policy"));
    browser.expectPageFaults();
  }
}
