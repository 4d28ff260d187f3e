package io.tarn.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/** The browser fixture on its own: Debian's chromium starts headless, runs script, and is quit. */
class BrowserTest {
  @RegisterExtension
  final Browser browser = new Browser();

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
}
