package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The console's confirmation dialog for deletions. */
final class ConfirmDialog {
  private final Browser browser;

  private ConfirmDialog(Browser browser) {
    this.browser = browser;
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
  }

  static ConfirmDialog shown(Browser browser) {
    return new ConfirmDialog(browser);
  }

  /** The dialog's message: what will happen. */
  String message() {
    return browser.driver().findElement(By.id("confirm-message")).getText();
  }

  /** Confirms a dialog that asks for no typing. */
  void confirm() {
    browser.driver().findElement(By.id("confirm-button")).click();
    awaitClosed();
  }

  /** Types the confirmation text (the confirm button must stay disabled until it is complete) and confirms. */
  void typeAndConfirm(String text) {
    WebElement button = browser.driver().findElement(By.id("confirm-button"));
    WebElement input = browser.driver().findElement(By.id("confirm-input"));
    input.sendKeys(text.substring(0, text.length() - 1));
    if (button.isEnabled()) {
      throw new AssertionError("the confirm button is enabled before the whole name is typed");
    }
    input.sendKeys(text.substring(text.length() - 1));
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.elementToBeClickable(button));
    button.click();
    awaitClosed();
  }

  private void awaitClosed() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
  }
}
