package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The uploads panel beside every page: the uploads of this page and the unfinished multipart uploads
 * this browser remembers for the signed-in key, with what the page stored and sent for them.
 */
public final class UploadsPanel {
  private final Browser browser;

  private UploadsPanel(Browser browser) {
    this.browser = browser;
  }

  public static UploadsPanel of(Browser browser) {
    return new UploadsPanel(browser);
  }

  /** The keys of the unfinished uploads listed (resumable or discardable), in order. */
  public List<String> unfinishedKeys() {
    return browser.attributes("[data-test=unfinished-upload]", "data-key");
  }

  /** Waits until the unfinished upload of {@code key} is listed. */
  public UploadsPanel awaitUnfinished(String key) {
    browser.waitUpTo(SignInPage.WAIT).until(d -> unfinishedKeys().contains(key));
    return this;
  }

  /** Resumes the unfinished upload of {@code key} by choosing {@code file} in its file input. */
  public UploadsPanel resume(String key, Path file) {
    unfinished(key).findElement(By.cssSelector("[data-test=resume-input]")).sendKeys(Browser.inputPath(file));
    return this;
  }

  /** Discards the unfinished upload of {@code key} (confirming) and waits until it is no longer listed. */
  public UploadsPanel discard(String key) {
    unfinished(key).findElement(By.cssSelector("[data-test=discard-upload]")).click();
    ConfirmDialog.shown(browser).confirm();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !unfinishedKeys().contains(key));
    return this;
  }

  /** The message shown above the unfinished uploads (e.g. the wrong file chosen), or "". */
  public String unfinishedMessage() {
    WebElement m = browser.driver().findElement(By.id("unfinished-message"));
    return m.isDisplayed() ? m.getText() : "";
  }

  /** The note under the upload of {@code key} (resumed, retrying, waiting for the network), or "". */
  public String note(String key) {
    Object text = browser.driver().executeScript("const li = Array.from(document.querySelectorAll("
        + "'[data-test=upload-item]')).find((e) => e.dataset.key === arguments[0]);"
        + "return li ? li.querySelector('[data-test=upload-note]').textContent : '';", key);
    return String.valueOf(text);
  }

  /** Every localStorage entry the console made for uploads: name to stored text. */
  public Map<String, String> storedRecords() {
    Object entries = browser.driver().executeScript("return Object.keys(localStorage)"
        + ".filter((k) => k.startsWith('tarn.upload:')).map((k) => [k, localStorage.getItem(k)]);");
    Map<String, String> out = new TreeMap<>();
    for (Object e : (List<?>) entries) {
      List<?> pair = (List<?>) e;
      out.put(String.valueOf(pair.get(0)), String.valueOf(pair.get(1)));
    }
    return out;
  }

  /**
   * The part numbers of the UploadPart requests this page has finished since it was loaded, by
   * Resource Timing (an aborted request leaves no entry; a reload starts the list afresh). A number
   * sent twice is listed twice.
   */
  public List<Integer> partsSent() {
    Object numbers = browser.driver().executeScript("return performance.getEntriesByType('resource')"
        + ".map((e) => new URL(e.name).searchParams.get('partNumber')).filter((n) => n !== null);");
    return ((List<?>) numbers).stream().map(n -> Integer.parseInt(n.toString())).toList();
  }

  /** The most UploadPart requests of this page that were in flight at the same moment (Resource Timing). */
  public int mostPartsAtOnce() {
    Object n = browser.driver().executeScript("const parts = performance.getEntriesByType('resource')"
        + ".filter((e) => new URL(e.name).searchParams.has('partNumber'));"
        + "return Math.max(0, ...parts.map((p) => parts.filter((q) => q.startTime <= p.startTime"
        + " && q.responseEnd > p.startTime).length));");
    return ((Number) n).intValue();
  }

  private WebElement unfinished(String key) {
    return browser.driver().findElements(By.cssSelector("[data-test=unfinished-upload]")).stream()
        .filter(r -> key.equals(r.getDomAttribute("data-key"))).findFirst()
        .orElseThrow(() -> new AssertionError(key + " is not among the unfinished uploads: " + unfinishedKeys()));
  }
}
