package io.tarn.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ByteSizeTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "4096, 4096",
      "1B, 1",
      "4KiB, 4096",
      "4kib, 4096",
      "4K, 4096",
      "64MiB, 67108864",
      "64 MiB, 67108864",
      "1GiB, 1073741824",
      "1g, 1073741824",
      "2TiB, 2199023255552",
      "1KB, 1000",
      "5MB, 5000000",
      "1GB, 1000000000",
      "' 16KiB ', 16384"})
  void parses(String text, long bytes) {
    assertEquals(bytes, ByteSize.parse(text).bytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "KiB", "-1", "1.5MiB", "4 KiB B", "4XiB", "4Kib4",
      "0x10", "99999999999999999999", "9000000000TiB"})
  void refuses(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
    assertTrue(e.getMessage().contains(text.strip()), e.getMessage());
  }

  @Test
  void refusesNull() {
    assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(null));
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0B",
      "1, 1B",
      "1000, 1000B",
      "4096, 4KiB",
      "6144, 6KiB",
      "67108864, 64MiB",
      "1073741824, 1GiB",
      "1099511627776, 1TiB",
      "1125899906842624, 1024TiB",
      "1073741825, 1073741825B"})
  void formatsExactly(long bytes, String text) {
    assertEquals(text, new ByteSize(bytes).toString());
    assertEquals(bytes, ByteSize.parse(text).bytes());
  }

  @Test
  void picocliConverterReportsTheProblem() {
    CommandLine.TypeConversionException e = assertThrows(
        CommandLine.TypeConversionException.class, () -> new ByteSize.Converter().convert("4XB"));
    assertTrue(e.getMessage().contains("unknown size unit"), e.getMessage());
    assertEquals(4096, new ByteSize.Converter().convert("4KiB").bytes());
  }

  @Test
  void refusesNegative() {
    assertThrows(IllegalArgumentException.class, () -> new ByteSize(-1));
  }
}
