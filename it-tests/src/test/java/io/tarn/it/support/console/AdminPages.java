package io.tarn.it.support.console;

import io.tarn.it.support.Browser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's admin pages (admins only): Users (list, add, e-mail addresses, disable, enable, delete), one user's page
 * (its keys and buckets) and Server (the figures of {@code GET /info}).
 */
public final class AdminPages {
  private final Browser browser;

  private AdminPages(Browser browser) {
    this.browser = browser;
  }

  /** Whether the header offers the "Admin" link. */
  public static boolean offered(Browser browser) {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("admin-link")));
    return browser.driver().findElement(By.id("admin-link")).isDisplayed();
  }

  /** Follows the header's "Admin" link to the users page. */
  public static AdminPages openUsers(Browser browser) {
    browser.driver().findElement(By.id("admin-link")).click();
    AdminPages p = new AdminPages(browser);
    p.await("page-admin-users");
    return p;
  }

  /** Goes to {@code #/admin/users} by address (what a user without the link could type). */
  public static AdminPages typeUsersAddress(Browser browser) {
    browser.driver().executeScript("location.hash = '#/admin/users'");
    AdminPages p = new AdminPages(browser);
    p.await("page-admin-users");
    return p;
  }

  private void await(String pageId) {
    browser.waitUpTo(SignInPage.WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#" + pageId + "[data-loaded=true]")));
  }

  private WebElement byId(String id) {
    return browser.driver().findElement(By.id(id));
  }

  /** The error the page shows, or "". */
  public String error() {
    WebElement e = byId("admin-error");
    return e.isDisplayed() ? e.getText() : "";
  }

  private void assertNoError(String what) {
    if (!error().isEmpty()) {
      throw new AssertionError(what + " failed: " + error());
    }
  }

  // ---- users

  public List<String> userNames() {
    return browser.attributes("[data-test=user-row]", "data-user");
  }

  private WebElement userRow(String name) {
    return browser.driver().findElements(By.cssSelector("[data-test=user-row]")).stream()
        .filter(r -> name.equals(r.getDomAttribute("data-user"))).findFirst()
        .orElseThrow(() -> new AssertionError("user " + name + " is not listed: " + userNames()));
  }

  /** Role ("Administrator" or "User") and status ("Active", "Disabled") as the list shows them. */
  public String userRole(String name) {
    return userRow(name).findElement(By.cssSelector("[data-test=user-role]")).getText();
  }

  public String userStatus(String name) {
    return userRow(name).findElement(By.cssSelector("[data-test=user-status]")).getText();
  }

  /** Adds a user with the role labelled {@code role} ("User" or "Administrator"). */
  public AdminPages addUser(String name, String role) {
    return addUser(name, null, role);
  }

  /** Adds a user with an e-mail address ({@code email}, null for none) and the role labelled {@code role}. */
  public AdminPages addUser(String name, String email, String role) {
    String refused = tryAddUser(name, email, role);
    if (!refused.isEmpty()) {
      throw new AssertionError("adding " + name + " failed: " + refused);
    }
    assertNoError("adding " + name);
    return this;
  }

  /** Tries to add a user; returns the refusal shown beside the e-mail field, or "". */
  public String tryAddUser(String name, String email, String role) {
    byId("new-user-name").clear();
    byId("new-user-name").sendKeys(name);
    byId("new-user-email").clear();
    if (email != null) {
      byId("new-user-email").sendKeys(email);
    }
    new Select(byId("new-user-role")).selectByVisibleText(role);
    markLoading("page-admin-users");
    byId("add-user").click();
    await("page-admin-users");
    WebElement e = byId("new-user-email-error");
    return e.isDisplayed() ? e.getText() : "";
  }

  /** The e-mail address the list shows for the user ("" for none). */
  public String userEmail(String name) {
    return userRow(name).findElement(By.cssSelector("[data-test=user-email]")).getText();
  }

  /**
   * Changes the user's e-mail address in its row ("" removes it); returns the refusal shown beside the
   * field, or "" when the list was drawn again with the change.
   */
  public String editEmail(String name, String email) {
    userRow(name).findElement(By.cssSelector("[data-test=edit-email]")).click();
    WebElement input = userRow(name).findElement(By.cssSelector("[data-test=email-input]"));
    input.clear();
    input.sendKeys(email);
    markLoading("page-admin-users");
    userRow(name).findElement(By.cssSelector("[data-test=save-email]")).click();
    await("page-admin-users");
    assertNoError("changing the e-mail address of " + name);
    List<WebElement> problem = userRow(name).findElements(By.cssSelector("[data-test=email-form] .field-error"));
    return problem.isEmpty() || !problem.get(0).isDisplayed() ? "" : problem.get(0).getText();
  }

  /** Disables a user after confirming; returns the confirmation's message. */
  public String disableUser(String name) {
    userRow(name).findElement(By.cssSelector("[data-test=disable-user]")).click();
    ConfirmDialog d = ConfirmDialog.shown(browser);
    String message = d.message();
    markLoading("page-admin-users");
    d.confirm();
    await("page-admin-users");
    assertNoError("disabling " + name);
    return message;
  }

  public AdminPages enableUser(String name) {
    markLoading("page-admin-users");
    userRow(name).findElement(By.cssSelector("[data-test=enable-user]")).click();
    await("page-admin-users");
    assertNoError("enabling " + name);
    return this;
  }

  /**
   * Deletes a user after typing its name; {@code heir} picks who gets its buckets (null when it owns
   * none, then the dialog must offer no choice). Returns the confirmation's message.
   */
  public String deleteUser(String name, String heir) {
    userRow(name).findElement(By.cssSelector("[data-test=delete-user]")).click();
    ConfirmDialog d = ConfirmDialog.shown(browser);
    String message = d.message();
    List<WebElement> choice = browser.driver().findElements(By.id("reassign-to"));
    if ((heir == null) != choice.isEmpty()) {
      throw new AssertionError("the dialog " + (choice.isEmpty() ? "offers no" : "offers a") + " choice of heir");
    }
    if (heir != null) {
      new Select(choice.get(0)).selectByVisibleText(heir);
    }
    markLoading("page-admin-users");
    d.typeAndConfirm(name);
    await("page-admin-users");
    assertNoError("deleting " + name);
    return message;
  }

  /** Opens a user's page (its keys and buckets). */
  public AdminPages openUser(String name) {
    userRow(name).findElement(By.cssSelector("td.name a")).click();
    await("page-admin-user");
    return this;
  }

  // ---- one user

  public List<String> keyIds() {
    return browser.attributes("[data-test=key-row]", "data-key-id");
  }

  public String keyStatus(String accessKeyId) {
    return keyRow(accessKeyId).findElement(By.cssSelector("[data-test=key-status]")).getText();
  }

  private WebElement keyRow(String accessKeyId) {
    return browser.driver().findElements(By.cssSelector("[data-test=key-row]")).stream()
        .filter(r -> accessKeyId.equals(r.getDomAttribute("data-key-id"))).findFirst()
        .orElseThrow(() -> new AssertionError("key " + accessKeyId + " is not listed: " + keyIds()));
  }

  /** Creates a key for the user whose page this is; the dialog shows its secret once. */
  public SecretDialog createKey(String expiry) {
    new Select(byId("new-key-expiry")).selectByVisibleText(expiry);
    byId("create-key").click();
    return SecretDialog.shown(browser);
  }

  /** After the secret dialog closed: waits for the key list to show the new key. */
  public AdminPages awaitKey(String accessKeyId, String status) {
    browser.waitUpTo(SignInPage.WAIT).until(d -> status == null ? !keyIds().contains(accessKeyId)
        : keyIds().contains(accessKeyId) && status.equals(keyStatus(accessKeyId)));
    await("page-admin-user");
    return this;
  }

  public String disableKey(String accessKeyId) {
    keyRow(accessKeyId).findElement(By.cssSelector("[data-test=disable-key]")).click();
    ConfirmDialog d = ConfirmDialog.shown(browser);
    String m = d.message();
    d.confirm();
    return m;
  }

  public AdminPages enableKey(String accessKeyId) {
    keyRow(accessKeyId).findElement(By.cssSelector("[data-test=enable-key]")).click();
    return this;
  }

  /** The user's buckets: name to access (owner, read, read-write). */
  public Map<String, String> userBuckets() {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> names = browser.attributes("[data-test=user-bucket-row]", "data-bucket");
    List<String> access = browser.attributes("[data-test=user-bucket-row]", "data-access");
    for (int i = 0; i < names.size(); i++) {
      out.put(names.get(i), access.get(i));
    }
    return out;
  }

  /** Back to the users list through the admin navigation. */
  public AdminPages users() {
    byId("admin-tab-users").click();
    await("page-admin-users");
    return this;
  }

  // ---- server

  public AdminPages server() {
    byId("admin-tab-server").click();
    await("page-admin-server");
    return this;
  }

  /** The raw value behind each figure of the server page (its data-value), by the info field it shows. */
  public Map<String, String> serverFigures() {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> fields = browser.attributes("#server-figures dd", "data-test");
    List<String> values = browser.attributes("#server-figures dd", "data-value");
    for (int i = 0; i < fields.size(); i++) {
      out.put(fields.get(i), values.get(i));
    }
    return out;
  }

  /** The text of the recent errors table, or "" when none is shown. */
  public String recentErrors() {
    return browser.driver().findElements(By.id("recent-errors")).stream().map(WebElement::getText).findFirst()
        .orElse("");
  }

  /** A rule's pending count as the backlog table shows it, or null when it is not listed. */
  public String backlogOf(String ruleId) {
    return browser.driver().findElements(By.cssSelector("#backlog-rules [data-test=rule-line]")).stream()
        .filter(r -> ruleId.equals(r.getDomAttribute("data-rule-id"))).map(r -> r.getDomAttribute("data-pending"))
        .findFirst().orElse(null);
  }

  private void markLoading(String pageId) {
    browser.driver().executeScript("document.getElementById(arguments[0]).dataset.loaded = 'false'", pageId);
  }
}
