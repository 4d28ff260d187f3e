package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The console's object browser (one folder of one bucket) and its uploads panel: what a user can do there. */
public final class ObjectBrowserPage {
  private final Browser browser;

  private ObjectBrowserPage(Browser browser) {
    this.browser = browser;
    awaitListed();
  }

  /** The object browser the console shows now, once its page is listed. */
  public static ObjectBrowserPage shown(Browser browser) {
    return new ObjectBrowserPage(browser);
  }

  private void awaitListed() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#page-browser[data-loading=false]")));
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  /** Follows the "Webhooks" link (shown to the bucket's owner and admins) to the simulator. */
  public SimulatorPage webhooksSimulator() {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.elementToBeClickable(By.id("webhooks-link"))).click();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=webhooks-tab-simulator]")))
        .click();
    return SimulatorPage.shown(browser);
  }

  /**
   * The page's heading: the folder's name (the bucket's at its root). Read again if the page re-renders
   * it between finding and reading it.
   */
  public String heading() {
    for (int attempt = 1; ; attempt++) {
      try {
        return browser.driver().findElement(By.cssSelector("#page-browser h1")).getText();
      } catch (StaleElementReferenceException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The breadcrumb trail's labels, from "Buckets" to the current folder. */
  public List<String> breadcrumbs() {
    return browser.driver().findElements(By.cssSelector("#breadcrumbs li")).stream().map(WebElement::getText).toList();
  }

  /** Follows the breadcrumb labelled {@code label}. */
  public ObjectBrowserPage breadcrumb(String label) {
    browser.driver().findElement(By.id("breadcrumbs")).findElement(By.linkText(label)).click();
    // The page shown until the click takes effect is listed too: wait for the one the crumb names.
    browser.waitUpTo(SignInPage.WAIT).until(d -> heading().equals(label));
    return shown(browser);
  }

  /** The keys of the objects listed on this page, in the order shown. */
  public List<String> objectKeys() {
    return browser.attributes("[data-test=object-row]", "data-key");
  }

  /** The folders (common prefixes) listed on this page, in the order shown. */
  public List<String> folders() {
    return browser.attributes("[data-test=folder-row]", "data-prefix");
  }

  /** Opens a folder listed on this page. */
  public ObjectBrowserPage openFolder(String prefix) {
    folderRow(prefix).findElement(By.cssSelector("a.folder-link")).click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> heading().equals(folderName(prefix)));
    return shown(browser);
  }

  /** Clicks a folder's link without waiting for anything (the session may have ended meanwhile). */
  public void clickFolder(String prefix) {
    folderRow(prefix).findElement(By.cssSelector("a.folder-link")).click();
  }

  /** The heading browser-page.js shows for a folder: its last name, or the whole prefix when that is empty ("/"). */
  private static String folderName(String prefix) {
    String[] parts = prefix.split("/");
    return parts.length == 0 || parts[parts.length - 1].isEmpty() ? prefix : parts[parts.length - 1];
  }

  /** The page number shown between "Previous page" and "Next page". */
  public int pageNumber() {
    return Integer.parseInt(byId("page-browser").getDomAttribute("data-page-number"));
  }

  public boolean hasNextPage() {
    return byId("next-page").isEnabled();
  }

  public boolean hasPreviousPage() {
    return byId("prev-page").isEnabled();
  }

  public ObjectBrowserPage nextPage() {
    return turn("next-page", pageNumber() + 1);
  }

  public ObjectBrowserPage previousPage() {
    return turn("prev-page", pageNumber() - 1);
  }

  private ObjectBrowserPage turn(String button, int expected) {
    byId(button).click();
    awaitListed();
    browser.waitUpTo(SignInPage.WAIT).until(d -> pageNumber() == expected);
    return this;
  }

  /** Lists only names in this folder starting with {@code text}. */
  public ObjectBrowserPage filter(String text) {
    WebElement filter = byId("filter");
    filter.clear();
    filter.sendKeys(text);
    byId("apply-filter").click();
    awaitListed();
    return this;
  }

  /** Sorts this page by a column: "name", "size" or "modified" (a second click reverses it). */
  public ObjectBrowserPage sortBy(String column) {
    browser.driver().findElement(By.cssSelector("button.sort[data-sort=" + column + "]")).click();
    return this;
  }

  /** Ticks the checkbox of each key. */
  public ObjectBrowserPage select(String... keys) {
    for (String key : keys) {
      WebElement box = objectRow(key).findElement(By.cssSelector("[data-test=select-object]"));
      if (!box.isSelected()) {
        box.click();
      }
    }
    return this;
  }

  /** Ticks "select all on this page". */
  public ObjectBrowserPage selectAllOnPage() {
    WebElement all = byId("select-all");
    if (!all.isSelected()) {
      all.click();
    }
    return this;
  }

  /** The label of the delete button, e.g. "Delete selected (3)". */
  public String deleteButtonLabel() {
    return byId("delete-selected").getText();
  }

  /** Deletes the selected objects (confirming) and returns the summary shown afterwards. */
  public String deleteSelected() {
    byId("delete-selected").click();
    ConfirmDialog.shown(browser).confirm();
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("delete-summary")));
    awaitListed();
    return byId("delete-summary").getText();
  }

  /** Clicks an object's Download button. */
  public ObjectBrowserPage download(String key) {
    objectRow(key).findElement(By.cssSelector("[data-test=download]")).click();
    return this;
  }

  /** An object's Download button as assistive technology meets it: aria-disabled, disabled, title. */
  public Map<String, String> downloadButton(String key) {
    WebElement button = objectRow(key).findElement(By.cssSelector("[data-test=download]"));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("aria-disabled", String.valueOf(button.getDomAttribute("aria-disabled")));
    out.put("disabled", String.valueOf(!button.isEnabled()));
    out.put("title", String.valueOf(button.getDomAttribute("title")));
    return out;
  }

  /** Presses an object's Download button expecting a refusal; returns the message shown above the listing. */
  public String downloadRefused(String key) {
    download(key);
    browser.waitUpTo(SignInPage.WAIT).until(d -> !error().isEmpty());
    return error();
  }

  /** The note the open details panel shows for a key with a "." or ".." segment, or "" when it shows none. */
  public String detailsDotSegmentNote() {
    List<WebElement> note = byId("details").findElements(By.id("details-dot-segment"));
    return note.isEmpty() ? "" : note.get(0).getText();
  }

  /** Whether the open details panel offers a share link. */
  public boolean offersShareLink() {
    return !byId("details").findElements(By.id("share-create")).isEmpty();
  }

  /** The note a folder whose name has a "." or ".." segment shows, or "" when none is shown. */
  public String dotFolderNote() {
    WebElement note = byId("dot-folder-note");
    return note.isDisplayed() ? note.getText() : "";
  }

  /** Opens an object's details; returns what the panel shows, by field (key, size, etag, content-type, ...). */
  public Map<String, String> details(String key) {
    objectRow(key).findElement(By.cssSelector("[data-test=details]")).click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> key.equals(byId("details").getDomAttribute("data-key"))
        && "true".equals(byId("details").getDomAttribute("data-loaded")));
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement dd : byId("details").findElements(By.cssSelector("dd[data-test^=detail-]"))) {
      out.put(dd.getDomAttribute("data-test").substring("detail-".length()), dd.getText());
    }
    return out;
  }

  /** The open details panel's Events: the outcome of each delivery of the key listed, newest first. */
  public List<String> detailsEvents() {
    browser.waitUpTo(SignInPage.WAIT).until(d -> "true".equals(byId("object-events").getDomAttribute("data-loaded")));
    return byId("object-events").findElements(By.cssSelector("[data-test=object-event]")).stream()
        .map(li -> li.getDomAttribute("data-outcome")).toList();
  }

  /** The open details panel's Events section as text (e.g. why it is not shown). */
  public String detailsEventsText() {
    browser.waitUpTo(SignInPage.WAIT).until(d -> "true".equals(byId("object-events").getDomAttribute("data-loaded")));
    return byId("object-events").getText();
  }

  /** The user metadata the details panel shows, by name (without x-amz-meta-). */
  public Map<String, String> detailsMetadata() {
    Map<String, String> out = new LinkedHashMap<>();
    for (WebElement dd : byId("details").findElements(By.cssSelector("dd[data-test=meta]"))) {
      out.put(dd.getDomAttribute("data-name"), dd.getText());
    }
    return out;
  }

  /**
   * In the open details panel, makes a share link expiring after the option labelled {@code expiry}
   * ("1 hour", "1 day", "7 days"); returns the absolute URL the read-only field shows.
   */
  public String shareLink(String expiry) {
    new Select(byId("share-expiry")).selectByVisibleText(expiry);
    return createShareLink();
  }

  /** Like {@link #shareLink(String)} with the "Custom (hours)" option and {@code hours} typed in. */
  public String shareLinkForHours(String hours) {
    new Select(byId("share-expiry")).selectByVisibleText("Custom (hours)");
    WebElement field = byId("share-hours");
    field.clear();
    field.sendKeys(hours);
    return createShareLink();
  }

  private String createShareLink() {
    String before = byId("share-result").isDisplayed() ? byId("share-url").getDomProperty("value") : "";
    byId("share-create").click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> byId("share-error").isDisplayed()
        || byId("share-result").isDisplayed() && !before.equals(byId("share-url").getDomProperty("value")));
    if (byId("share-error").isDisplayed()) {
      throw new AssertionError("no share link: " + byId("share-error").getText());
    }
    WebElement url = byId("share-url");
    if (url.getDomAttribute("readonly") == null) {
      throw new AssertionError("the share link field is not read-only");
    }
    return url.getDomProperty("value");
  }

  /** Makes a share link expecting it to be refused; returns the message shown. */
  public String shareLinkErrorForHours(String hours) {
    new Select(byId("share-expiry")).selectByVisibleText("Custom (hours)");
    WebElement field = byId("share-hours");
    field.clear();
    field.sendKeys(hours);
    byId("share-create").click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> byId("share-error").isDisplayed());
    return byId("share-error").getText();
  }

  /** The expiry the share link section shows in words, e.g. "Expires in 1 hour (...)". */
  public String shareLinkExpiry() {
    return byId("share-expires").getText();
  }

  /** Presses Copy; returns the note shown afterwards. */
  public String copyShareLink() {
    byId("share-copy").click();
    browser.waitUpTo(SignInPage.WAIT).until(d -> !byId("share-copy-note").getText().isEmpty());
    return byId("share-copy-note").getText();
  }

  /** Waits for the open details panel's preview; returns its kind (image, audio, video, pdf, text). */
  public String awaitPreview() {
    browser.waitUpTo(SignInPage.WAIT).until(d -> !d.findElements(By.cssSelector("#preview[data-loaded=true]")).isEmpty()
        || !d.findElements(By.cssSelector("#preview[data-loaded=failed]")).isEmpty());
    WebElement preview = byId("preview");
    if (!"true".equals(preview.getDomAttribute("data-loaded"))) {
      throw new AssertionError("the preview failed: " + preview.getText());
    }
    return preview.getDomAttribute("data-kind");
  }

  /** Whether the open details panel offers a preview at all. */
  public boolean hasPreview() {
    return !browser.driver().findElements(By.id("preview")).isEmpty();
  }

  /** The text preview's text (its textContent: exactly what is shown, not rendered as HTML). */
  public String previewText() {
    return byId("preview-text").getDomProperty("textContent");
  }

  /** The "first 64 KiB of N shown" note, or "" when the whole text is shown. */
  public String previewTruncatedNote() {
    List<WebElement> note = browser.driver().findElements(By.id("preview-truncated"));
    return note.isEmpty() ? "" : note.get(0).getText();
  }

  /** Elements inside the preview that markup in a text file would have made if it were parsed as HTML. */
  public int previewElementsBesidesText() {
    return byId("preview-text").findElements(By.xpath("./*")).size();
  }

  /** The most body bytes the page received for any request whose URL contains {@code text} (Resource Timing). */
  public long largestBodyReceived(String text) {
    Object n = browser.driver().executeScript("return Math.max(0, ...performance.getEntriesByType('resource')"
        + ".filter(e => e.name.includes(arguments[0])).map(e => e.decodedBodySize))", text);
    return ((Number) n).longValue();
  }

  /** The image preview's naturalWidth once it has loaded (0 if it could not be decoded). */
  public long previewImageWidth() {
    WebElement img = byId("preview-body").findElement(By.tagName("img"));
    browser.waitUpTo(SignInPage.WAIT).until(d -> "true".equals(String.valueOf(
        browser.driver().executeScript("return arguments[0].complete", img))));
    return ((Number) browser.driver().executeScript("return arguments[0].naturalWidth", img)).longValue();
  }

  /** The URL (as the page resolved it) the open preview's img, audio, video or iframe loads. */
  public String previewSource() {
    return String.valueOf(browser.driver().executeScript(
        "return document.querySelector('#preview-body img, #preview-body audio, #preview-body video,"
            + " #preview-body iframe').src"));
  }

  /**
   * Waits until the open preview's audio or video element has its metadata ({@code readyState >= 1},
   * HAVE_METADATA) or an error; returns what the element knows: readyState, duration (seconds, -1 for
   * an unknown or infinite one), videoWidth, videoHeight (0 for audio) and error (the MediaError code, 0
   * for none).
   */
  public Map<String, Number> previewMedia() {
    String find = "const m = document.querySelector('#preview-body audio, #preview-body video');";
    browser.waitUpTo(SignInPage.WAIT).until(d -> Boolean.TRUE.equals(browser.driver().executeScript(
        find + "return !!m && (m.readyState >= 1 || m.error !== null);")));
    Object state = browser.driver().executeScript(find
        + "return {readyState: m.readyState, duration: Number.isFinite(m.duration) ? m.duration : -1,"
        + " videoWidth: m.videoWidth || 0, videoHeight: m.videoHeight || 0, error: m.error ? m.error.code : 0};");
    Map<String, Number> out = new LinkedHashMap<>();
    ((Map<?, ?>) state).forEach((k, v) -> out.put(String.valueOf(k), (Number) v));
    return out;
  }

  /**
   * The Resource Timing of the latest request for a URL containing {@code text}: initiatorType,
   * responseStatus (0 when the browser does not say), contentType (the MIME type Chromium reports, "" if
   * none) and encodedBodySize; empty when there was no such request.
   */
  public Map<String, Object> resourceTiming(String text) {
    Object entry = browser.driver().executeScript("const e = performance.getEntriesByType('resource')"
        + ".filter(r => r.name.includes(arguments[0])).pop();"
        + "return e ? {initiatorType: e.initiatorType, responseStatus: e.responseStatus || 0,"
        + " contentType: e.contentType || '', encodedBodySize: e.encodedBodySize} : {};", text);
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<?, ?>) entry).forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** Picks files with the "Upload files" input (what choosing them in the file dialog does). */
  public ObjectBrowserPage uploadFiles(List<Path> files) {
    byId("upload-files-input").sendKeys(Browser.inputPaths(files));
    return this;
  }

  /** Picks a folder with the "Upload folder" input (webkitdirectory). */
  public ObjectBrowserPage uploadFolder(Path folder) {
    byId("upload-folder-input").sendKeys(Browser.inputPath(folder));
    return this;
  }

  /**
   * Waits until {@code count} uploads are listed and none is waiting or going; fails with the messages
   * shown if any failed. Returns the summary line.
   */
  public String awaitUploads(int count) {
    Map<String, String> failures = awaitUploadsEnded(count);
    if (!failures.isEmpty()) {
      throw new AssertionError("uploads failed: " + failures);
    }
    return uploadSummary();
  }

  /**
   * Waits until {@code count} uploads are listed and none is waiting or going, then for the listing
   * the end of a batch refreshes; returns the message shown for each upload that did not succeed.
   */
  public Map<String, String> awaitUploadsEnded(int count) {
    browser.waitUpTo(SignInPage.WAIT.multipliedBy(4)).until(d -> {
      List<String> states = browser.attributes("[data-test=upload-item]", "data-state");
      return states.size() == count && states.stream()
          .allMatch(s -> "done".equals(s) || "failed".equals(s) || "cancelled".equals(s));
    });
    Map<String, String> failures = new LinkedHashMap<>();
    for (WebElement item : browser.driver().findElements(By.cssSelector("[data-test=upload-item]"))) {
      if (!"done".equals(item.getDomAttribute("data-state"))) {
        failures.put(item.getDomAttribute("data-key"),
            item.findElement(By.cssSelector("[data-test=upload-error]")).getText());
      }
    }
    awaitListed();
    return failures;
  }

  /** The uploads panel's summary line (files, bytes, speed, time left). */
  public String uploadSummary() {
    return byId("upload-summary").getText();
  }

  /** The error the page shows above the listing, or "" when none is shown. */
  public String error() {
    WebElement error = byId("browser-error");
    return error.isDisplayed() ? error.getText() : "";
  }

  /** Whether the page marks the bucket read-only (the badge by the heading). */
  public boolean markedReadOnly() {
    return browser.driver().findElements(By.id("read-only-badge")).stream().anyMatch(WebElement::isDisplayed);
  }

  /** The reason shown for read-only access, or "" when none is shown. */
  public String readOnlyNote() {
    WebElement note = byId("read-only-note");
    return note.isDisplayed() ? note.getText() : "";
  }

  /** Waits until the page knows the caller's access to the bucket; returns it (owner, read, ...). */
  public String awaitAccess() {
    browser.waitUpTo(SignInPage.WAIT).until(d -> byId("page-browser").getDomAttribute("data-access") != null);
    return byId("page-browser").getDomAttribute("data-access");
  }

  /** Whether each write control can be used: upload files, upload folder, delete selected. */
  public Map<String, Boolean> writeControlsEnabled() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (String id : List.of("upload-files", "upload-folder", "delete-selected")) {
      out.put(id, byId(id).isEnabled());
    }
    return out;
  }

  /** Drops a file on the browser (a DataTransfer built in the page, as a drop from the desktop carries). */
  public ObjectBrowserPage dropFile(String name, String content) {
    browser.driver().executeScript("const t = new DataTransfer();"
        + "t.items.add(new File([arguments[1]], arguments[0], {type: 'text/plain'}));"
        + "const zone = document.getElementById('page-browser');"
        + "for (const type of ['dragenter', 'dragover', 'drop']) {"
        + "  zone.dispatchEvent(new DragEvent(type, {dataTransfer: t, bubbles: true, cancelable: true}));"
        + "}", name, content);
    return this;
  }

  /** The keys of the uploads listed in the panel, in order. */
  public List<String> uploadKeys() {
    return browser.attributes("[data-test=upload-item]", "data-key");
  }

  /** The total progress bar's value as a fraction of its maximum. */
  public double totalProgress() {
    WebElement total = byId("upload-total");
    return Double.parseDouble(total.getDomProperty("value")) / Double.parseDouble(total.getDomProperty("max"));
  }

  /** Presses Cancel on the upload of {@code key} (listed in the panel). */
  public ObjectBrowserPage cancelUpload(String key) {
    row("[data-test=upload-item]", "data-key", key).findElement(By.tagName("button")).click();
    return this;
  }

  /** The state of the upload of {@code key}: queued, uploading, done, failed or cancelled. */
  public String uploadState(String key) {
    return row("[data-test=upload-item]", "data-key", key).getDomAttribute("data-state");
  }

  /** Whether the bucket's Webhooks tab is offered (once the access is known: owner and admins only). */
  public boolean offersWebhooks() {
    awaitAccess();
    return byId("webhooks-link").isDisplayed();
  }

  /** Opens the bucket's Webhooks tab from the link beside the objects. */
  public WebhooksTabPage openWebhooks() {
    awaitAccess();
    byId("webhooks-link").click();
    return WebhooksTabPage.shown(browser);
  }

  /** Clears the finished uploads from the panel. */
  public ObjectBrowserPage clearUploads() {
    byId("clear-uploads").click();
    return this;
  }

  private WebElement objectRow(String key) {
    return row("[data-test=object-row]", "data-key", key);
  }

  private WebElement folderRow(String prefix) {
    return row("[data-test=folder-row]", "data-prefix", prefix);
  }

  private WebElement row(String selector, String attribute, String value) {
    return browser.driver().findElements(By.cssSelector(selector)).stream()
        .filter(r -> value.equals(r.getDomAttribute(attribute))).findFirst()
        .orElseThrow(() -> new AssertionError(value + " is not listed on this page: " + objectKeys() + " " + folders()));
  }
}
