package io.tarn.s3.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads files under {@code src/test/resources/golden/}. */
final class Golden {
  private Golden() {}

  static byte[] bytes(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A golden response document, indented for reading, as the writer emits it: the declaration line,
   * then every other line with its leading spaces and line break removed. Text inside elements is
   * untouched, so whitespace in keys is still compared exactly.
   */
  static String document(String name) {
    String[] lines = new String(bytes(name), StandardCharsets.UTF_8).split("\n");
    StringBuilder sb = new StringBuilder(lines[0]).append('\n');
    for (int i = 1; i < lines.length; i++) {
      sb.append(lines[i].replaceFirst("^ +", ""));
    }
    return sb.toString();
  }
}
