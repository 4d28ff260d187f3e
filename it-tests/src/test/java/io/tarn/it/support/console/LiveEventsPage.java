package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The "Live events" view of a bucket's Webhooks tab: what a user can see and do there. */
public final class LiveEventsPage {
  private final Browser browser;

  private LiveEventsPage(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(SignInPage.WAIT).until(d -> !d.findElements(By.id("live-events-view")).isEmpty());
  }

  /** The view the console shows now (after following the object browser's "Webhooks" link, say). */
  public static LiveEventsPage shown(Browser browser) {
    return new LiveEventsPage(browser);
  }

  /** Opens the view by its address in the current tab (the session cookie is the browser's). */
  public static LiveEventsPage open(Browser browser, URI endpoint, String bucket) {
    browser.driver().get(endpoint.resolve("/_tarn/console/#/webhooks/"
        + URLEncoder.encode(bucket, StandardCharsets.UTF_8).replace("+", "%20") + "/live").toString());
    return new LiveEventsPage(browser);
  }

  /** The connection's state as shown: {@code live}, {@code connecting}, {@code ended}. */
  public String state() {
    String s = browser.driver().findElement(By.id("live-status")).getDomAttribute("data-state");
    return s == null ? "connecting" : s;
  }

  public String statusText() {
    return browser.driver().findElement(By.id("live-status")).getText();
  }

  /** Waits until the tail is open (the server said so). */
  public LiveEventsPage awaitLive() {
    browser.waitUpTo(SignInPage.WAIT).until(d -> "live".equals(state()));
    return this;
  }

  /** Waits until the page shows the tail ended or was refused. */
  public LiveEventsPage awaitEnded() {
    browser.waitUpTo(SignInPage.WAIT).until(d -> "ended".equals(state()));
    return this;
  }

  /** The keys of the events shown, newest first. */
  public List<String> keys() {
    return browser.driver().findElements(By.cssSelector("#live-events .live-event .live-key")).stream()
        .map(WebElement::getText).toList();
  }

  private WebElement row(String key) {
    return browser.driver().findElements(By.cssSelector("#live-events .live-event")).stream()
        .filter(r -> r.findElement(By.cssSelector(".live-key")).getText().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no event for " + key + " among " + keys()));
  }

  /** Waits for an event of {@code key}; returns its event name as shown. */
  public String awaitEvent(String key) {
    browser.waitUpTo(SignInPage.WAIT).until(d -> keys().contains(key));
    return row(key).findElement(By.cssSelector(".live-name")).getText();
  }

  /** The ids of the rules the event of {@code key} matched. */
  public List<String> rules(String key) {
    return row(key).findElements(By.cssSelector(".live-rules li[data-rule]")).stream()
        .map(li -> li.getDomAttribute("data-rule")).toList();
  }

  /** Waits until the delivery of {@code key}'s event to {@code rule} is no longer pending; returns its text. */
  public String awaitOutcome(String key, String rule) {
    By outcome = By.cssSelector(".live-rules li[data-rule='" + rule + "'] .live-outcome");
    browser.waitUpTo(SignInPage.WAIT).until(d -> !"pending".equals(row(key).findElement(outcome).getDomAttribute(
        "data-outcome")));
    return row(key).findElement(outcome).getText();
  }

  public LiveEventsPage pause() {
    browser.driver().findElement(By.id("live-pause")).click();
    return this;
  }

  public LiveEventsPage clear() {
    browser.driver().findElement(By.id("live-clear")).click();
    return this;
  }

  public String waitingNote() {
    return browser.driver().findElement(By.id("live-waiting")).getText();
  }
}
