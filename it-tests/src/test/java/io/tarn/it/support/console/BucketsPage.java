package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The console's bucket list: what a user can do there. */
public final class BucketsPage {
  private final Browser browser;

  private BucketsPage(Browser browser) {
    this.browser = browser;
    awaitLoaded();
  }

  /** The bucket list the console shows now, once loaded. */
  public static BucketsPage shown(Browser browser) {
    return new BucketsPage(browser);
  }

  private void awaitLoaded() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#page-buckets[data-loaded=true]")));
    WebElement error = browser.driver().findElement(By.id("buckets-error"));
    if (error.isDisplayed()) {
      throw new AssertionError("the bucket list did not load: " + error.getText());
    }
  }

  /** The names of the buckets listed, in order. */
  public List<String> bucketNames() {
    return browser.attributes("[data-test=bucket-row]", "data-bucket");
  }

  /** Whether the page says there are no buckets. */
  public boolean showsNoBuckets() {
    return browser.driver().findElement(By.id("no-buckets")).isDisplayed();
  }

  /** The name of the signed-in user, as the header shows it. */
  public String signedInAs() {
    return browser.driver().findElement(By.id("who")).getText();
  }

  /** Creates a bucket through the form and waits for it to be listed. */
  public BucketsPage create(String bucket) {
    WebElement error = browser.driver().findElement(By.id("buckets-error"));
    submitCreate(bucket);
    browser.waitUpTo(SignInPage.WAIT).until(d -> bucketNames().contains(bucket) || error.isDisplayed());
    if (error.isDisplayed()) {
      throw new AssertionError("bucket " + bucket + " was not created: " + error.getText());
    }
    return this;
  }

  /** Submits the create form with a name the server refuses; returns the error shown. */
  public String createExpectingError(String bucket) {
    WebElement error = browser.driver().findElement(By.id("buckets-error"));
    submitCreate(bucket);
    browser.waitUpTo(SignInPage.WAIT).until(d -> error.isDisplayed() && !error.getText().isBlank());
    return error.getText();
  }

  private void submitCreate(String bucket) {
    WebElement name = browser.driver().findElement(By.id("new-bucket-name"));
    name.clear();
    name.sendKeys(bucket);
    browser.driver().findElement(By.id("create-bucket")).click();
  }

  /** Deletes a bucket, confirming by typing its name; waits for it to leave the list. */
  public BucketsPage delete(String bucket) {
    row(bucket).findElement(By.cssSelector("[data-test=delete-bucket]")).click();
    ConfirmDialog.shown(browser).typeAndConfirm(bucket);
    browser.waitUpTo(SignInPage.WAIT).until(d -> !bucketNames().contains(bucket));
    return this;
  }

  /** The caller's access to a listed bucket, as the page says it ("Owner", "Read only", ...). */
  public String access(String bucket) {
    return row(bucket).findElement(By.cssSelector("[data-test=bucket-access]")).getText();
  }

  /** The owner's name the list shows for a bucket. */
  public String owner(String bucket) {
    return row(bucket).findElement(By.cssSelector("[data-test=bucket-owner]")).getText();
  }

  /** The object count the list shows for a bucket. */
  public String objects(String bucket) {
    return row(bucket).findElement(By.cssSelector("[data-test=bucket-objects]")).getText();
  }

  /** The size in bytes the list holds for a bucket. */
  public long bytes(String bucket) {
    WebElement cell = row(bucket).findElement(By.cssSelector("[data-test=bucket-bytes]"));
    return Long.parseLong(cell.getDomAttribute("data-bytes"));
  }

  /** Whether the row offers the bucket's settings and delete (its owner's and admins' only). */
  public boolean offersSettingsAndDelete(String bucket) {
    return !row(bucket).findElements(By.cssSelector("[data-test=bucket-settings]")).isEmpty()
        || !row(bucket).findElements(By.cssSelector("[data-test=delete-bucket]")).isEmpty();
  }

  /** Opens a bucket's settings by its link. */
  public BucketSettingsPage settings(String bucket) {
    row(bucket).findElement(By.cssSelector("[data-test=bucket-settings]")).click();
    return BucketSettingsPage.shown(browser);
  }

  /** Opens a bucket's object browser by its link. */
  public ObjectBrowserPage open(String bucket) {
    row(bucket).findElement(By.cssSelector("a.bucket-link")).click();
    return ObjectBrowserPage.shown(browser);
  }

  private WebElement row(String bucket) {
    return browser.driver().findElements(By.cssSelector("[data-test=bucket-row]")).stream()
        .filter(r -> bucket.equals(r.getDomAttribute("data-bucket"))).findFirst()
        .orElseThrow(() -> new AssertionError("bucket " + bucket + " is not listed: " + bucketNames()));
  }
}
