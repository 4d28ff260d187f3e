package io.tarn.server.admin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code tarn admin …} in-process, capturing stdout and stderr, with an injected context. */
final class AdminCli {
  static final Instant NOW = Instant.parse("2026-11-29T18:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** What a command did: its exit code and what it printed. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A prompter with scripted answers, or none ({@link #noConsole()}). */
  static final class ScriptedPrompter implements CliContext.Prompter {
    private final boolean available;
    private final Deque<String> answers;
    final List<String> prompts = new ArrayList<>();

    ScriptedPrompter(boolean available, List<String> answers) {
      this.available = available;
      this.answers = new ArrayDeque<>(answers);
    }

    @Override
    public boolean available() {
      return available;
    }

    @Override
    public String readLine(String prompt) {
      prompts.add(prompt);
      return answers.poll();
    }

    @Override
    public char[] readPassword(String prompt) {
      prompts.add(prompt);
      String a = answers.poll();
      return a == null ? null : a.toCharArray();
    }
  }

  private AdminCli() {}

  static ScriptedPrompter noConsole() {
    return new ScriptedPrompter(false, List.of());
  }

  static CliContext context(Map<String, String> env, Path home) {
    return new CliContext(env, home, CLOCK, noConsole());
  }

  static Result run(CliContext ctx, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AdminCommand(ctx));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** {@code args} followed by the connection flags of {@code fake} with {@code key}. */
  static String[] with(FakeAdminApi fake, io.tarn.core.AccessKey key, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint", fake.endpoint(), "--access-key", key.accessKeyId(),
        "--secret-key", key.secretKey()));
    return all.toArray(String[]::new);
  }
}
