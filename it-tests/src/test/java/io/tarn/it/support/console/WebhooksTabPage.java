package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** A bucket's Webhooks tab: its Rules view (list, editor, Send test, enable/disable/delete), or its refusal. */
public final class WebhooksTabPage {
  private final Browser browser;

  private WebhooksTabPage(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#page-webhooks[data-loaded=true]")));
    if (refusal().isEmpty()) {
      awaitRules();
    }
  }

  static WebhooksTabPage shown(Browser browser) {
    return new WebhooksTabPage(browser);
  }

  /** Goes to the tab by its address (as a bookmark would), whatever the page offers. */
  public static WebhooksTabPage go(Browser browser, String bucket) {
    ((JavascriptExecutor) browser.driver()).executeScript(
        "location.hash = '#/webhooks/' + encodeURIComponent(arguments[0])", bucket);
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("page-webhooks")));
    return new WebhooksTabPage(browser);
  }

  private void awaitRules() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#rules-view[data-loaded=true]")));
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  /** Why the tab shows no view, or "" when it shows one. */
  public String refusal() {
    WebElement r = byId("webhooks-refused");
    return r.isDisplayed() ? r.getText() : "";
  }

  /** Whether any view (e.g. the rules list) is shown. */
  public boolean showsAView() {
    return !browser.driver().findElements(By.cssSelector("#webhooks-view > *")).isEmpty();
  }

  /** The error above the list, or "". */
  public String error() {
    WebElement e = byId("rules-error");
    return e.isDisplayed() ? e.getText() : "";
  }

  /** The rules listed, by id. */
  public List<String> ruleIds() {
    return browser.attributes("[data-test=rule-row]", "data-rule");
  }

  private WebElement row(String ruleId) {
    return browser.driver().findElements(By.cssSelector("[data-test=rule-row]")).stream()
        .filter(r -> ruleId.equals(r.getDomAttribute("data-rule"))).findFirst()
        .orElseThrow(() -> new AssertionError("rule " + ruleId + " is not listed: " + ruleIds()));
  }

  /** A cell of a rule's row by its data-test name (rule-url, rule-events, rule-filter, rule-format, ...). */
  public String cell(String ruleId, String test) {
    return row(ruleId).findElement(By.cssSelector("[data-test=" + test + "]")).getText();
  }

  /** The rule's health once its figures are read: healthy, failing or new. */
  public String awaitHealth(String ruleId, String state) {
    browser.waitUpTo(SignInPage.WAIT).until(d -> {
      WebElement health = row(ruleId).findElement(By.cssSelector("[data-test=rule-health]"));
      return state.equals(health.getDomAttribute("data-state"));
    });
    return cell(ruleId, "rule-health");
  }

  /** Waits (up to the page's refresh and then some) until a figure of the rule reads {@code text}. */
  public void awaitFigure(String ruleId, String test, String text) {
    browser.waitUpTo(SignInPage.WAIT).until(d -> {
      try {
        return text.equals(row(ruleId).findElement(By.cssSelector("[data-test=" + test + "]")).getText());
      } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
        return false;
      }
    });
  }

  /** [the document's scroll width, the window's client width]: equal when nothing scrolls sideways. */
  public List<Long> pageAndWindowWidth() {
    List<?> w = (List<?>) ((JavascriptExecutor) browser.driver()).executeScript(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
    return w.stream().map(v -> ((Number) v).longValue()).toList();
  }

  // ---- the editor

  /** Opens the editor for a new rule. */
  public WebhooksTabPage add() {
    byId("add-rule").click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("rule-editor")));
    return this;
  }

  /** Opens the editor for {@code ruleId}. */
  public WebhooksTabPage edit(String ruleId) {
    row(ruleId).findElement(By.cssSelector("[data-test=edit-rule]")).click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("rule-editor")));
    return this;
  }

  /** Replaces the text of an editor field: url, prefix, suffix, description, secret. */
  public WebhooksTabPage type(String field, String value) {
    WebElement input = byId("rule-" + field);
    input.clear();
    input.sendKeys(value);
    return this;
  }

  /** Sets the event checkbox of {@code name} (e.g. object:created, s3:ObjectRemoved:*) on or off. */
  public WebhooksTabPage event(String name, boolean on) {
    WebElement box = browser.driver().findElement(By.cssSelector("input[name=events][value='" + name + "']"));
    if (box.isSelected() != on) {
      box.click();
    }
    return this;
  }

  public WebhooksTabPage format(String value) {
    byId("format-" + value).click();
    return this;
  }

  /** The sample body shown for the chosen format. */
  public String formatSample() {
    return byId("format-sample").getText();
  }

  public WebhooksTabPage signature(String value) {
    new Select(byId("rule-signature")).selectByValue(value);
    return this;
  }

  /** Clicks Generate (or Rotate) and returns the new secret the field shows. */
  public String generateSecret() {
    byId("generate-secret").click();
    return byId("rule-secret").getDomProperty("value");
  }

  /** Saves the editor; waits until it closes and the list is drawn again. Throws with the errors shown if not. */
  public WebhooksTabPage save() {
    submit();
    browser.waitUpTo(SignInPage.WAIT).until(d -> d.findElements(By.id("rule-editor")).isEmpty() || !errors().isEmpty());
    if (!errors().isEmpty()) {
      throw new AssertionError("saving the rule failed: " + errors());
    }
    awaitRules();
    return this;
  }

  /** Saves the editor expecting a refusal; returns the errors shown, by field ("form" for the form's own). */
  public Map<String, String> saveRefused() {
    submit();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !errors().isEmpty());
    return errors();
  }

  private void submit() {
    byId("save-rule").click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> d.findElements(By.cssSelector("#rule-editor[data-saving=true]"))
        .isEmpty());
  }

  /** The errors the editor shows: field name (or "form") to message. */
  public Map<String, String> errors() {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement e : browser.driver().findElements(By.cssSelector("#rule-editor [role=alert]"))) {
      if (e.isDisplayed()) {
        String id = e.getDomAttribute("id");
        out.put(id.equals("rule-form-error") ? "form" : id.replaceAll("^rule-|-error$", ""), e.getText());
      }
    }
    return out;
  }

  /** Whether the field's control is marked invalid (aria-invalid). */
  public boolean markedInvalid(String field) {
    return "true".equals(byId("rule-" + field).getDomAttribute("aria-invalid"));
  }

  // ---- actions on a rule

  /** The outcome of Send test, as shown inline. */
  public record TestOutcome(String state, String status, String statusLine, Map<String, String> headers, String body) {}

  /** Clicks Send test and waits for the outcome shown inline. */
  public TestOutcome sendTest(String ruleId) {
    WebElement r = row(ruleId);
    r.findElement(By.cssSelector("[data-test=send-test]")).click();
    WebElement outcome = r.findElement(By.xpath("following-sibling::tr[1]//td[@data-test='test-outcome']"));
    browser.waitUpTo(SignInPage.WAIT).until(d -> {
      String state = outcome.getDomAttribute("data-state");
      return state != null && !state.equals("sending");
    });
    Map<String, String> headers = new LinkedHashMap<>();
    List<WebElement> dts = outcome.findElements(By.cssSelector("[data-test=test-headers] dt"));
    List<WebElement> dds = outcome.findElements(By.cssSelector("[data-test=test-headers] dd"));
    for (int i = 0; i < dts.size(); i++) {
      headers.put(dts.get(i).getText().toLowerCase(java.util.Locale.ROOT), dds.get(i).getText());
    }
    List<WebElement> body = outcome.findElements(By.cssSelector("[data-test=test-body]"));
    List<WebElement> status = outcome.findElements(By.cssSelector("[data-test=test-status]"));
    return new TestOutcome(outcome.getDomAttribute("data-state"),
        status.isEmpty() ? "" : status.get(0).getDomAttribute("data-status"),
        status.isEmpty() ? outcome.getText() : status.get(0).getText(), headers,
        body.isEmpty() ? null : body.get(0).getText());
  }

  /** Clicks Enable or Disable; waits until the row says the other. */
  public WebhooksTabPage toggle(String ruleId) {
    String was = row(ruleId).getDomAttribute("data-enabled");
    row(ruleId).findElement(By.cssSelector("[data-test=toggle-rule]")).click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> {
      try {
        return !was.equals(row(ruleId).getDomAttribute("data-enabled"));
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        return false;
      }
    });
    awaitRules();
    return this;
  }

  public boolean enabled(String ruleId) {
    return "true".equals(row(ruleId).getDomAttribute("data-enabled"));
  }

  /** Deletes the rule, confirming; returns what the confirmation said would happen. */
  public String delete(String ruleId) {
    row(ruleId).findElement(By.cssSelector("[data-test=delete-rule]")).click();
    ConfirmDialog dialog = ConfirmDialog.shown(browser);
    String message = dialog.message();
    dialog.confirm();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !ruleIds().contains(ruleId));
    awaitRules();
    return message;
  }
}
