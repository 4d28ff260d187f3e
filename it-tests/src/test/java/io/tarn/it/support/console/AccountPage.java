package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The console's account page: the signed-in user's access keys and API tokens. */
public final class AccountPage {
  private final Browser browser;

  private AccountPage(Browser browser) {
    this.browser = browser;
    awaitLoaded();
  }

  /** Follows the header's "Account" link. */
  public static AccountPage open(Browser browser) {
    browser.driver().findElement(By.id("account-link")).click();
    return new AccountPage(browser);
  }

  static AccountPage shown(Browser browser) {
    return new AccountPage(browser);
  }

  private void awaitLoaded() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#page-account[data-loaded=true]")));
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  /** The error the page shows, or "" when none is shown. */
  public String error() {
    WebElement error = byId("account-error");
    return error.isDisplayed() ? error.getText() : "";
  }

  private void assertNoError(String what) {
    if (!error().isEmpty()) {
      throw new AssertionError(what + " failed: " + error());
    }
  }

  // ---- access keys

  /** The access key ids listed, in order. */
  public List<String> keyIds() {
    return browser.attributes("[data-test=key-row]", "data-key-id");
  }

  /** The status the list shows for a key: Active, Disabled or Expired. */
  public String keyStatus(String accessKeyId) {
    return keyRow(accessKeyId).findElement(By.cssSelector("[data-test=key-status]")).getText();
  }

  /** The key's expiry as the page holds it (ISO-8601), or "" for none. */
  public String keyExpires(String accessKeyId) {
    return keyRow(accessKeyId).findElement(By.cssSelector("[data-test=key-expires]")).getDomAttribute("data-expires");
  }

  /** Creates a key expiring after the option labelled {@code expiry} ("Never", "7 days", ...). */
  public SecretDialog createKey(String expiry) {
    new Select(byId("new-key-expiry")).selectByVisibleText(expiry);
    byId("create-key").click();
    return SecretDialog.shown(browser);
  }

  /** Disables a key after confirming; returns the confirmation's message. */
  public String disableKey(String accessKeyId) {
    keyRow(accessKeyId).findElement(By.cssSelector("[data-test=disable-key]")).click();
    return confirm();
  }

  /** Deletes a key after confirming; returns the confirmation's message. */
  public String deleteKey(String accessKeyId) {
    keyRow(accessKeyId).findElement(By.cssSelector("[data-test=delete-key]")).click();
    return confirm();
  }

  private String confirm() {
    ConfirmDialog dialog = ConfirmDialog.shown(browser);
    String message = dialog.message();
    dialog.confirm();
    return message;
  }

  /** Sets a key's expiry to the option labelled {@code expiry} from now; waits for the list to reload. */
  public AccountPage setKeyExpiry(String accessKeyId, String expiry) {
    keyRow(accessKeyId).findElement(By.cssSelector("[data-test=key-expiry]")).click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("key-expiry-dialog")));
    new Select(byId("key-expiry-choice")).selectByVisibleText(expiry);
    byId("key-expiry-save").click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.numberOfElementsToBe(By.id("key-expiry-dialog"), 0));
    awaitLoaded();
    assertNoError("changing the expiry");
    return this;
  }

  /** Waits until the list shows {@code accessKeyId} with {@code status} (or without it, for null). */
  public AccountPage awaitKey(String accessKeyId, String status) {
    browser.waitUpTo(SignInPage.WAIT).until(d -> status == null ? !keyIds().contains(accessKeyId)
        : keyIds().contains(accessKeyId) && status.equals(keyStatus(accessKeyId)));
    awaitLoaded();
    return this;
  }

  private WebElement keyRow(String accessKeyId) {
    return browser.driver().findElements(By.cssSelector("[data-test=key-row]")).stream()
        .filter(r -> accessKeyId.equals(r.getDomAttribute("data-key-id"))).findFirst()
        .orElseThrow(() -> new AssertionError("key " + accessKeyId + " is not listed: " + keyIds()));
  }

  // ---- API tokens

  /** The names of the tokens listed, in order. */
  public List<String> tokenNames() {
    return browser.attributes("[data-test=token-row]", "data-name");
  }

  /** Creates a token named {@code name} expiring after the option labelled {@code expiry}. */
  public SecretDialog createToken(String name, String expiry) {
    WebElement field = byId("new-token-name");
    field.clear();
    field.sendKeys(name);
    new Select(byId("new-token-expiry")).selectByVisibleText(expiry);
    byId("create-token").click();
    return SecretDialog.shown(browser);
  }

  /** Revokes the token named {@code name} after confirming; waits for it to leave the list. */
  public AccountPage revokeToken(String name) {
    browser.driver().findElements(By.cssSelector("[data-test=token-row]")).stream()
        .filter(r -> name.equals(r.getDomAttribute("data-name"))).findFirst()
        .orElseThrow(() -> new AssertionError("token " + name + " is not listed: " + tokenNames()))
        .findElement(By.cssSelector("[data-test=revoke-token]")).click();
    confirm();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !tokenNames().contains(name));
    awaitLoaded();
    assertNoError("revoking token " + name);
    return this;
  }

  /** Presses "Sign out everywhere" on this page. */
  public SignInPage signOutEverywhere() {
    byId("account-sign-out-everywhere").click();
    return SignInPage.shown(browser);
  }
}
