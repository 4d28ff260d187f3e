package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.net.URI;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The console's sign-in page: what a user can do there. */
public final class SignInPage {
  static final Duration WAIT = Duration.ofSeconds(30);
  private final Browser browser;

  private SignInPage(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
  }

  /** Opens the console at {@code endpoint} (no session yet) and waits for the sign-in form. */
  public static SignInPage open(Browser browser, URI endpoint) {
    browser.driver().get(endpoint.resolve("/_tarn/console/").toString());
    return new SignInPage(browser);
  }

  /** The sign-in page the console shows now (after sign-out, or when a session ended). */
  public static SignInPage shown(Browser browser) {
    return new SignInPage(browser);
  }

  /** Signs in with credentials the server accepts and waits for the bucket list. */
  public BucketsPage signIn(String accessKeyId, String secretKey) {
    submit(accessKeyId, secretKey);
    return BucketsPage.shown(browser);
  }

  /** Signs in with credentials the server refuses; returns the error the page shows. */
  public String signInExpectingError(String accessKeyId, String secretKey) {
    WebElement error = browser.driver().findElement(By.id("sign-in-error"));
    submit(accessKeyId, secretKey);
    browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOf(error));
    browser.waitUpTo(WAIT).until(d -> !error.getText().isBlank());
    return error.getText();
  }

  /** The notice shown above the form (why the user is here), or "" when there is none. */
  public String notice() {
    return browser.driver().findElements(By.id("sign-in-notice")).stream().map(WebElement::getText).findFirst()
        .orElse("");
  }

  /** The role of the error element, for checking that screen readers announce it. */
  public String errorRole() {
    return browser.driver().findElement(By.id("sign-in-error")).getDomAttribute("role");
  }

  private void submit(String accessKeyId, String secretKey) {
    WebElement id = browser.driver().findElement(By.id("access-key-id"));
    WebElement secret = browser.driver().findElement(By.id("secret-key"));
    id.clear();
    id.sendKeys(accessKeyId);
    secret.clear();
    secret.sendKeys(secretKey);
    browser.driver().findElement(By.id("sign-in-button")).click();
  }
}
