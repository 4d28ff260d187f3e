package io.tarn.console.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped console's module graph: what its first load fetches is main.js and the modules it imports
 * statically, so the pages most people never open (the Webhooks tab's views, the admin pages) must be
 * reached only through {@code import()} (main.js's {@code showLazily}). A stray static import of one of
 * them once put nine modules into every first load.
 */
class ConsoleModulesTest {
  private static final String JS = "io/tarn/console/web/js/";
  /** {@code import … from './x.js'}, {@code export … from './x.js'} and {@code import './x.js'}, at a line's start. */
  private static final Pattern STATIC = Pattern.compile(
      "^\\s*(?:import|export)\\s(?:[^;'\"]*?\\sfrom\\s+)?'\\./([\\w-]+\\.js)'", Pattern.MULTILINE);
  private static final Pattern DYNAMIC = Pattern.compile("\\bimport\\(\\s*'\\./([\\w-]+\\.js)'\\s*\\)");

  @Test
  void theWebhooksTabAndTheAdminPagesAreLoadedOnlyWhenOpened() throws IOException {
    Set<String> first = staticClosure("main.js");
    for (String lazy : dynamicImports("main.js")) {
      assertTrue(!first.contains(lazy), lazy + " is imported lazily by main.js but also statically: " + first);
    }
    assertEquals(Set.of("webhooks-tab.js", "admin-users.js", "admin-user.js", "admin-server.js"),
        dynamicImports("main.js"));
    for (String lazy : Set.of("webhooks-tab.js", "delivery-log.js", "live-events.js", "simulator.js",
        "webhook-editor.js", "admin-users.js")) {
      assertTrue(!first.contains(lazy), lazy + " is in the first load: " + first);
    }
    assertTrue(first.contains("browser-page.js") && first.contains("sign-in-page.js"), first.toString());
  }

  private static Set<String> staticClosure(String start) throws IOException {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(Set.of(start));
    while (!todo.isEmpty()) {
      String module = todo.pop();
      if (seen.add(module)) {
        Matcher m = STATIC.matcher(source(module));
        while (m.find()) {
          todo.push(m.group(1));
        }
      }
    }
    return seen;
  }

  private static Set<String> dynamicImports(String module) throws IOException {
    Set<String> out = new TreeSet<>();
    Matcher m = DYNAMIC.matcher(source(module));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String source(String module) throws IOException {
    try (InputStream in = ConsoleModulesTest.class.getClassLoader().getResourceAsStream(JS + module)) {
      assertNotNull(in, "no module " + module);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
