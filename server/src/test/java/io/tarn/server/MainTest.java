package io.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code tarn} command builds only the subcommand it runs (its start time, issue #14), and that
 * lean tree behaves as the whole one does.
 */
final class MainTest {
  private static final List<String> ALL = List.of("server", "bench", "admin", "webhooks", "completion", "help");

  private static String usage(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return exit + "\n" + out + "\n" + err;
  }

  @Test
  void aSubcommandRunsWithOnlyItsOwnModel() {
    for (String name : List.of("server", "bench", "admin", "webhooks")) {
      assertEquals(Set.of(name), Main.commandLine(name, "--help").getSubcommands().keySet());
    }
  }

  @Test
  void helpCompletionAndAnythingElseGetTheWholeTree() {
    for (String[] args : new String[][] {{}, {"help"}, {"help", "admin"}, {"completion"}, {"--help"}, {"--version"},
        {"admn"}}) {
      assertEquals(ALL, List.copyOf(Main.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
    }
  }

  @Test
  void theLeanTreePrintsWhatTheWholeOneDoes() {
    for (String[] args : new String[][] {{"admin", "--help"}, {"admin", "user", "add", "--help"},
        {"webhooks", "--help"}, {"server", "--help"}, {"admin", "user"}, {"admin", "user", "add"},
        {"webhooks", "ls", "--bogus"}}) {
      assertEquals(usage(Main.commandLine(), args), usage(Main.commandLine(args), args), String.join(" ", args));
    }
  }

  @Test
  void enumValuesAreCaseInsensitiveInTheLeanTreeToo() {
    // tarn bench --op takes an enum; picocli applies the setting only to commands already added.
    CommandLine lean = Main.commandLine("bench", "--op", "PUT");
    assertEquals(true, lean.getSubcommands().get("bench").isCaseInsensitiveEnumValuesAllowed());
  }

  @Test
  void theVersionIsTheBuildsEvenWithoutAJarManifest() {
    // Tests run from target/classes, as the container image does: no manifest, version.properties.
    assertTrue(Main.version().matches("\\d+\\.\\d+\\.\\d+.*"), Main.version());
  }
}
