package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** A bucket's settings page (owner and admins): owner, grants, forced delete. */
public final class BucketSettingsPage {
  private final Browser browser;

  private BucketSettingsPage(Browser browser) {
    this.browser = browser;
    awaitLoaded();
  }

  static BucketSettingsPage shown(Browser browser) {
    return new BucketSettingsPage(browser);
  }

  private void awaitLoaded() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#page-settings[data-loaded=true]")));
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  /** The error the page shows, or "" when none is shown. */
  public String error() {
    WebElement error = byId("settings-error");
    return error.isDisplayed() ? error.getText() : "";
  }

  /** The owner's name as shown. */
  public String owner() {
    return browser.driver().findElement(By.cssSelector("[data-test=settings-owner]")).getText();
  }

  /** The object count as shown. */
  public String objects() {
    return browser.driver().findElement(By.cssSelector("[data-test=settings-objects]")).getText();
  }

  /** The grants listed: user name to permission (read, read-write). */
  public Map<String, String> grants() {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement row : browser.driver().findElements(By.cssSelector("[data-test=grant-row]"))) {
      out.put(row.getDomAttribute("data-user"), row.getDomAttribute("data-permission"));
    }
    return out;
  }

  /** Grants {@code user} the access labelled {@code access} ("Read only", "Read and write"). */
  public BucketSettingsPage grant(String user, String access) {
    WebElement name = byId("grant-user");
    name.clear();
    name.sendKeys(user);
    new Select(byId("grant-permission")).selectByVisibleText(access);
    byId("grant-button").click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> grants().containsKey(user) || !error().isEmpty());
    awaitLoaded();
    if (!error().isEmpty()) {
      throw new AssertionError("granting " + user + " failed: " + error());
    }
    return this;
  }

  /** Revokes {@code user}'s grant; waits for it to leave the list. */
  public BucketSettingsPage revoke(String user) {
    browser.driver().findElements(By.cssSelector("[data-test=grant-row]")).stream()
        .filter(r -> user.equals(r.getDomAttribute("data-user"))).findFirst()
        .orElseThrow(() -> new AssertionError(user + " has no grant: " + grants()))
        .findElement(By.cssSelector("[data-test=revoke-grant]")).click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !grants().containsKey(user));
    awaitLoaded();
    return this;
  }

  /**
   * Deletes the bucket with everything in it, typing its name to confirm (the button must stay
   * disabled until it is all typed); returns the bucket list shown afterwards.
   */
  public BucketsPage forceDelete(String bucket) {
    byId("force-delete").click();
    ConfirmDialog.shown(browser).typeAndConfirm(bucket);
    return BucketsPage.shown(browser);
  }
}
