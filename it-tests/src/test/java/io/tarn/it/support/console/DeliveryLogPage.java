package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The Webhooks tab's "Delivery log" view (js/delivery-log.js) and its attempt inspector. */
public final class DeliveryLogPage {
  /** Long enough for a few retries on the it-tests' short schedule and the view's 3 s refresh. */
  public static final Duration WAIT = Duration.ofSeconds(30);
  private final Browser browser;

  private DeliveryLogPage(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#webhooks-view[data-view=log][data-loading=false], #log-error:not([hidden]), #log-empty")));
  }

  /** The view the console shows now. */
  public static DeliveryLogPage shown(Browser browser) {
    return new DeliveryLogPage(browser);
  }

  /** Opens the view from the object browser's Webhooks link. */
  public static DeliveryLogPage fromObjectBrowser(Browser browser) {
    browser.driver().findElement(By.id("webhooks-link")).click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("[data-test=webhooks-tab-log]"))).click();
    return shown(browser);
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  public String error() {
    WebElement e = byId("log-error");
    return e.isDisplayed() ? e.getText() : "";
  }

  /** Waits (the view refreshes itself) until a row of {@code key} with {@code outcome} shows; its delivery id. */
  public String awaitRow(String key, String outcome) {
    By row = By.cssSelector("tr[data-test=log-row][data-key='" + key + "'][data-outcome='" + outcome + "']");
    browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(row));
    return browser.driver().findElement(row).getDomAttribute("data-delivery");
  }

  /** The rows shown: delivery id, key and outcome of each, newest first. */
  public List<String> rows() {
    return browser.driver().findElements(By.cssSelector("tr[data-test=log-row]")).stream()
        .map(r -> r.getDomAttribute("data-key") + " " + r.getDomAttribute("data-outcome") + " "
            + r.getDomAttribute("data-attempt")).toList();
  }

  /** Sets the filters and applies them (null: leave as is). */
  public DeliveryLogPage filter(String status, String prefix) {
    if (status != null) {
      new Select(byId("log-status")).selectByValue(status);
    }
    if (prefix != null) {
      byId("log-prefix").clear();
      byId("log-prefix").sendKeys(prefix);
    }
    byId("log-apply").click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#webhooks-view[data-view=log][data-loading=false]")));
    return this;
  }

  /** Opens the inspector of a delivery's (first shown) row. */
  public Inspector inspect(String deliveryId) {
    browser.driver().findElement(By.cssSelector("tr[data-delivery='" + deliveryId + "'] [data-test=inspect]")).click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> deliveryId.equals(byId("attempt-inspector").getDomAttribute(
        "data-delivery")) && "true".equals(byId("attempt-inspector").getDomAttribute("data-loaded")));
    return new Inspector();
  }

  /** Ticks the first row of each delivery, clicks "Redeliver selected"; the result line. */
  public String redeliverSelected(String... deliveryIds) {
    for (String id : deliveryIds) {
      browser.driver().findElement(By.cssSelector("tr[data-delivery='" + id + "'] [data-test=log-select]")).click();
    }
    String before = byId("log-result").getText();
    byId("redeliver-selected").click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !byId("log-result").getText().equals(before));
    return byId("log-result").getText();
  }

  /** Closes the attempt inspector. */
  public DeliveryLogPage closeInspector() {
    byId("close-inspector").click();
    return this;
  }

  /** A screenshot with the inspector's first attempt in view. */
  public void screenshotInspector(String fileName) {
    browser.driver().executeScript("document.querySelector('[data-test=inspector-attempt]').scrollIntoView()");
    browser.screenshot(fileName);
  }

  /** "Redeliver all dead letters…": the count the dialog shows first, then confirms; the result line. */
  public String redeliverAllDead(StringBuilder dialogMessage) {
    String before = byId("log-result").getText();
    byId("redeliver-dead").click();
    ConfirmDialog dialog = ConfirmDialog.shown(browser);
    dialogMessage.append(dialog.message());
    browser.screenshot("redeliver-dead-letters");
    dialog.confirm();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !byId("log-result").getText().equals(before));
    return byId("log-result").getText();
  }

  /** The attempt inspector as shown. */
  public final class Inspector {
    public String state() {
      return byId("attempt-inspector").findElement(By.cssSelector("[data-test=inspector-state]")).getText();
    }

    public String requestBody() {
      return byId("inspector-request-body").getText();
    }

    /** Per attempt (newest first): field -> text (attempt, outcome, status, latency, error, next-retry, ...). */
    public List<Map<String, String>> attempts() {
      return byId("attempt-inspector").findElements(By.cssSelector("[data-test=inspector-attempt]")).stream()
          .map(a -> {
            Map<String, String> m = new LinkedHashMap<>();
            for (WebElement dd : a.findElements(By.cssSelector("dd[data-test^=attempt-]"))) {
              m.put(dd.getDomAttribute("data-test").substring("attempt-".length()), dd.getText());
            }
            a.findElements(By.cssSelector("[data-test=response-body]"))
                .forEach(b -> m.put("response-body", b.getText()));
            a.findElements(By.cssSelector("[data-test=request-headers] dd")).forEach(dd ->
                m.put("request:" + dd.getDomAttribute("data-name"), dd.getText()));
            return m;
          }).toList();
    }

    /** Clicks Redeliver and waits for the result line. */
    public String redeliver() {
      String before = byId("log-result").getText();
      byId("inspector-redeliver").click();
      browser.waitUpTo(SignInPage.WAIT).until(d -> !byId("log-result").getText().equals(before));
      return byId("log-result").getText();
    }
  }
}
