package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HexTest {
  @Test
  void encodesLowerCaseTwoDigitsPerByte() {
    assertEquals("", Hex.encode(new byte[0]));
    assertEquals("00", Hex.encode(new byte[] {0}));
    assertEquals("0f10", Hex.encode(new byte[] {0x0f, 0x10}));
    assertEquals("7f80ff", Hex.encode(new byte[] {0x7f, (byte) 0x80, (byte) 0xff}));
    assertEquals("deadbeef", Hex.encode(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}));
  }

  @Test
  void everyByteValueRoundTrips() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    String hex = Hex.encode(all);
    assertEquals(512, hex.length());
    assertTrue(hex.matches("[0-9a-f]+"));
    assertArrayEquals(all, Hex.decode(hex));
  }

  @Test
  void randomArraysRoundTrip() {
    Random r = new Random(42);
    for (int n = 0; n < 200; n++) {
      byte[] b = new byte[n];
      r.nextBytes(b);
      assertArrayEquals(b, Hex.decode(Hex.encode(b)), "length " + n);
    }
  }

  @Test
  void decodesEitherCase() {
    byte[] expected = {(byte) 0xab, (byte) 0xcd, (byte) 0xef};
    assertArrayEquals(expected, Hex.decode("abcdef"));
    assertArrayEquals(expected, Hex.decode("ABCDEF"));
    assertArrayEquals(expected, Hex.decode("aBcDeF"));
    assertArrayEquals(new byte[0], Hex.decode(""));
    assertArrayEquals(expected, Hex.decode(new StringBuilder("ABcdEF")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "abc", "0", "00000"})
  void anOddNumberOfDigitsIsRefused(String hex) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hex.decode(hex));
    assertEquals("odd number of hex digits", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0g", "g0", "zz", "0x", "-1", " 0", "00 0", "++", "0\u0000",
      "\u0663\u0663", "\uFF21\uFF21", "\uFF10\uFF10"}) // Arabic-Indic three, full-width A and 0
  void aNonHexDigitIsRefused(String hex) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hex.decode(hex));
    assertEquals("not a hex digit", e.getMessage());
  }

  @Test
  void isHexChecksLengthAndDigits() {
    assertTrue(Hex.isHex("0123456789abcdefABCDEF", 22));
    assertTrue(Hex.isHex("", 0));
    assertTrue(Hex.isHex("ff", 2));
    assertFalse(Hex.isHex("ff", 3));
    assertFalse(Hex.isHex("fff", 2));
    assertFalse(Hex.isHex("fg", 2));
    assertFalse(Hex.isHex(" f", 2));
    assertFalse(Hex.isHex("\u0663\u0663", 2)); // other scripts' digits are not hex
    assertFalse(Hex.isHex("\uFF21f", 2));
    assertFalse(Hex.isHex(null, 0));
    assertFalse(Hex.isHex(null, 2));
    // any length, odd included: it checks digits, not bytes
    assertTrue(Hex.isHex("abc", 3));
  }
}
