package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The Webhooks tab's rule simulator: a key and an event in, each rule's verdict, headers, body and curl out. */
public final class SimulatorPage {
  private final Browser browser;

  private SimulatorPage(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("sim-form")));
  }

  static SimulatorPage shown(Browser browser) {
    return new SimulatorPage(browser);
  }

  /** Simulates {@code event} (its option's label starts with it, e.g. "ObjectCreated:Put") on {@code key}. */
  public SimulatorPage simulate(String key, String event, long size) {
    WebElement k = browser.driver().findElement(By.id("sim-key"));
    k.clear();
    k.sendKeys(key);
    Select events = new Select(browser.driver().findElement(By.id("sim-event")));
    events.getOptions().stream().filter(o -> o.getText().startsWith(event)).findFirst()
        .orElseThrow(() -> new AssertionError("no event option " + event)).click();
    WebElement s = browser.driver().findElement(By.id("sim-size"));
    s.clear();
    s.sendKeys(Long.toString(size));
    browser.driver().executeScript("document.getElementById('simulator').dataset.loaded = 'false'");
    browser.driver().findElement(By.id("sim-run")).click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#simulator[data-loaded=true]")));
    return this;
  }

  public String error() {
    WebElement e = browser.driver().findElement(By.id("sim-error"));
    return e.isDisplayed() ? e.getText() : "";
  }

  /** The rule ids shown, in order. */
  public List<String> ruleIds() {
    return browser.attributes("[data-test=sim-rule]", "data-rule-id");
  }

  public boolean matched(String ruleId) {
    return "true".equals(card(ruleId).getDomAttribute("data-matched"));
  }

  /** The reasons a rule does not match: check name to message. */
  public Map<String, String> reasons(String ruleId) {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement li : card(ruleId).findElements(By.cssSelector(".sim-reasons li"))) {
      out.put(li.getDomAttribute("data-check"), li.getText());
    }
    return out;
  }

  /** The body as shown (the text of its {@code <pre>}: exactly the JSON, never parsed as HTML). */
  public String body(String ruleId) {
    return text(card(ruleId).findElement(By.cssSelector("[data-test=sim-body]")));
  }

  public String curl(String ruleId) {
    return text(card(ruleId).findElement(By.cssSelector("[data-test=sim-curl]")));
  }

  /** Header name to value, as the table shows them. */
  public Map<String, String> headers(String ruleId) {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement tr : card(ruleId).findElements(By.cssSelector(".sim-headers tr"))) {
      out.put(tr.getDomAttribute("data-header"), text(tr.findElement(By.cssSelector("td"))));
    }
    return out;
  }

  /** The verification snippet for {@code lang} (python, node, java), from the page. */
  public String snippet(String ruleId, String lang) {
    return text(card(ruleId).findElement(By.cssSelector(".sim-snippets pre[data-lang=" + lang + "]")));
  }

  /** textContent, which keeps every character (getText would trim and fold white space of hidden parts). */
  private String text(WebElement e) {
    return String.valueOf(browser.driver().executeScript("return arguments[0].textContent", e));
  }

  private WebElement card(String ruleId) {
    return browser.driver().findElements(By.cssSelector("[data-test=sim-rule]")).stream()
        .filter(c -> ruleId.equals(c.getDomAttribute("data-rule-id"))).findFirst()
        .orElseThrow(() -> new AssertionError("rule " + ruleId + " is not shown: " + ruleIds()));
  }
}
