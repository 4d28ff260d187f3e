package io.tarn.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size-based rotation: whole lines, FILE.1 the newest rotated file, at most {@code keep} kept, appends across opens. */
class RotatingFileWriterTest {
  @TempDir Path dir;

  private static void line(RotatingFileWriter w, String s) throws IOException {
    byte[] b = (s + "\n").getBytes(StandardCharsets.UTF_8);
    w.write(b, 0, b.length);
  }

  @Test
  void rotatesBeforeALineWouldPassTheMaximumAndKeepsTheNewestFiles() throws IOException {
    Path file = dir.resolve("logs/access.log"); // the directory is created
    try (RotatingFileWriter w = new RotatingFileWriter(file, 20, 2)) {
      for (int i = 0; i < 10; i++) {
        line(w, "line-" + i + "-xxxx"); // 12 bytes: one line per file
      }
    }
    assertEquals("line-9-xxxx\n", Files.readString(file));
    assertEquals("line-8-xxxx\n", Files.readString(dir.resolve("logs/access.log.1")));
    assertEquals("line-7-xxxx\n", Files.readString(dir.resolve("logs/access.log.2")));
    assertFalse(Files.exists(dir.resolve("logs/access.log.3")), "only 2 rotated files are kept");
  }

  @Test
  void linesAreNeverSplitAndEveryFileStaysWithinTheMaximumUnlessOneLineIsLarger() throws IOException {
    Path file = dir.resolve("a.log");
    List<String> written = new ArrayList<>();
    try (RotatingFileWriter w = new RotatingFileWriter(file, 100, 50)) {
      for (int i = 0; i < 60; i++) {
        String s = "n" + i + "-" + "y".repeat(i % 30);
        written.add(s);
        line(w, s);
      }
      line(w, "z".repeat(300)); // longer than the maximum: a file of its own
      written.add("z".repeat(300));
    }
    List<String> read = new ArrayList<>();
    for (int i = 50; i >= 1; i--) {
      Path p = dir.resolve("a.log." + i);
      if (Files.exists(p)) {
        String content = Files.readString(p);
        assertTrue(content.length() <= 100, p + " is " + content.length() + " bytes");
        assertTrue(content.endsWith("\n"));
        read.addAll(List.of(content.split("\n")));
      }
    }
    read.addAll(List.of(Files.readString(file).split("\n")));
    assertEquals(written, read, "every line once, in order, whole");
  }

  @Test
  void aRestartAppendsAndCountsTheExistingSize() throws IOException {
    Path file = dir.resolve("b.log");
    try (RotatingFileWriter w = new RotatingFileWriter(file, 30, 1)) {
      line(w, "first-123456789"); // 16 bytes
    }
    try (RotatingFileWriter w = new RotatingFileWriter(file, 30, 1)) {
      line(w, "second-12345678"); // 16 more would pass 30: rotated first
    }
    assertEquals("first-123456789\n", Files.readString(dir.resolve("b.log.1")));
    assertEquals("second-12345678\n", Files.readString(file));
  }

  @Test
  void keepZeroDeletesAndZeroMaximumNeverRotates() throws IOException {
    Path file = dir.resolve("c.log");
    try (RotatingFileWriter w = new RotatingFileWriter(file, 10, 0)) {
      line(w, "aaaaaaaa");
      line(w, "bbbbbbbb");
    }
    assertEquals("bbbbbbbb\n", Files.readString(file));
    assertFalse(Files.exists(dir.resolve("c.log.1")));
    Path unbounded = dir.resolve("d.log");
    try (RotatingFileWriter w = new RotatingFileWriter(unbounded, 0, 3)) {
      for (int i = 0; i < 100; i++) {
        line(w, "line " + i);
      }
    }
    assertEquals(100, Files.readAllLines(unbounded).size());
    assertFalse(Files.exists(dir.resolve("d.log.1")));
  }
}
