package io.tarn.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code tarn} command as shipped: {@code admin} and {@code completion} are wired into Main. */
final class AdminCompletionTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void completionPrintsABashScriptCoveringTheAdminCommands() {
    String[] r = run("completion");
    assertEquals("0", r[0], r[2]);
    String script = r[1];
    assertTrue(script.startsWith("#!/usr/bin/env bash"), script);
    assertTrue(script.contains("complete -F _complete_tarn"), "registers the function for bash (and zsh via bashcompinit)");
    for (String word : new String[] {"admin", "user", "key", "bucket", "login", "whoami", "--reassign-to", "--expires",
        "read-write"}) {
      assertTrue(script.contains(word), () -> "completion lacks " + word);
    }
  }

  @Test
  void adminIsASubcommandOfTarn() {
    String[] r = run("admin", "--help");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].startsWith("Usage: tarn admin"), r[1]);
    assertTrue(r[1].contains("Exit codes:"), r[1]);
    String[] top = run("--help");
    assertTrue(top[1].contains("completion") && top[1].contains("admin"), top[1]);
  }
}
