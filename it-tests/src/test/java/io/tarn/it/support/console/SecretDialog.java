package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The dialog that shows a new access key's secret or a new API token once. */
public final class SecretDialog {
  private final Browser browser;

  private SecretDialog(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-dialog")));
  }

  static SecretDialog shown(Browser browser) {
    return new SecretDialog(browser);
  }

  /** The id shown with the secret: the access key id, or the token's id. */
  public String id() {
    return browser.driver().findElement(By.cssSelector("#secret-dialog [data-test=new-key-id], "
        + "#secret-dialog [data-test=new-token-id]")).getText();
  }

  /** The secret key or token value, from the read-only field. */
  public String secret() {
    return browser.driver().findElement(By.id("secret-value")).getDomProperty("value");
  }

  /** Whether the secret's field is read-only. */
  public boolean readOnly() {
    return browser.driver().findElement(By.id("secret-value")).getDomAttribute("readonly") != null;
  }

  /** The warning that it will not be shown again. */
  public String warning() {
    return browser.driver().findElement(By.id("secret-warning")).getText();
  }

  /** Presses Copy; returns the note shown afterwards. */
  public String copy() {
    browser.driver().findElement(By.id("secret-copy")).click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !d.findElement(By.id("secret-copy-note")).getText().isEmpty());
    return browser.driver().findElement(By.id("secret-copy-note")).getText();
  }

  /** Closes the dialog, back to the account page. */
  public AccountPage close() {
    dismiss();
    return AccountPage.shown(browser);
  }

  /** Closes the dialog, back to whichever page opened it. */
  public void dismiss() {
    browser.driver().findElement(By.id("secret-done")).click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.numberOfElementsToBe(By.id("secret-dialog"), 0));
  }
}
