package io.tarn.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a client command writes: data on stdout (tables, or the server's JSON with {@code --json}),
 * messages and errors on stderr, so {@code tarn admin user ls --json | jq} never sees a message.
 */
public final class Output {
  private static final ObjectWriter PRETTY = prettyWriter();

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  public Output(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /**
   * Runs {@code body} and turns what it throws into a message on stderr and the exit code; never
   * lets a stack trace reach the user.
   */
  public static int guard(Output output, Consumer<Output> body) {
    try {
      body.accept(output);
      return Exit.OK.code();
    } catch (CliException e) {
      output.error(e.getMessage());
      return e.exit().code();
    } catch (RuntimeException e) {
      output.error("unexpected failure: " + e);
      return Exit.ERROR.code();
    } finally {
      output.flush();
    }
  }

  public boolean json() {
    return json;
  }

  /** With {@code --json} prints {@code node} (if any: a 204 has none), otherwise runs {@code human}. */
  public void show(JsonNode node, Runnable human) {
    if (!json) {
      human.run();
    } else if (node != null) {
      printJson(node);
    }
  }

  /** Pretty JSON with two-space indents and {@code "name": value}, one value per line. */
  public void printJson(JsonNode node) {
    try {
      out.print(PRETTY.writeValueAsString(node));
      out.print('\n');
    } catch (JsonProcessingException e) {
      throw new CliException(Exit.ERROR, "cannot print JSON: " + e.getOriginalMessage());
    }
  }

  public void line(String text) {
    out.print(text);
    out.print('\n');
  }

  public void table(Table table) {
    out.print(table.render());
  }

  /** {@code label:  value} lines with the values aligned. */
  public void fields(Map<String, String> fields) {
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
    fields.forEach((label, value) -> line(Table.pad(label + ":", width) + "  " + value));
  }

  /** A message for the user (not data): stderr. */
  public void message(String text) {
    err.print(text);
    err.print('\n');
  }

  public void error(String text) {
    message("error: " + text);
  }

  public void flush() {
    out.flush();
    err.flush();
  }

  private static ObjectWriter prettyWriter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return new ObjectMapper().writer(printer);
  }
}
