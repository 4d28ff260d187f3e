package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The general-purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), rule by rule.
 */
class BucketNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "abc", "a-b", "a.b", "0ab", "ab0", "123", "my-bucket.example.com", "a1.b2-c3",
      // 63 characters, the longest name
      "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefg",
      // looks like an IP address only in part
      "192.168.5", "192.168.5.4.5", "1.2.3.a", "a192.168.5.4",
      // reserved prefixes and suffixes only count at the very start or end
      "axn--b", "xn-b", "my-sthree-bucket", "amzn-s3-demo", "b-s3alias-x", "b-ol-s3", "mrap", "a.mrapx",
      "x-s3", "b-table-s3", "b--x-s3x"})
  void validNames(String name) {
    assertTrue(BucketNames.isValid(name), name);
    BucketNames.validate(name); // does not throw
  }

  @Test
  void lengthIsThreeToSixtyThree() {
    assertFalse(BucketNames.isValid(""));
    assertFalse(BucketNames.isValid("a"));
    assertFalse(BucketNames.isValid("ab"));
    assertTrue(BucketNames.isValid("abc"));
    assertTrue(BucketNames.isValid("a".repeat(63)));
    assertFalse(BucketNames.isValid("a".repeat(64)));
    assertFalse(BucketNames.isValid("a".repeat(1000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Abc", "abC", "aBc", "ab_c", "ab c", "ab/c", "ab:c", "ab+c", "ab%c", "ab\u00e9", "ab\u0131",
      "abc\n", "\tabc", "ab\u0000c", "ab\uff41"})
  void onlyLowerCaseAsciiLettersDigitsHyphensAndDots(String name) {
    assertFalse(BucketNames.isValid(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-abc", "abc-", ".abc", "abc.", "-ab-", ".ab.", "--a", "a.."})
  void beginsAndEndsWithALetterOrDigit(String name) {
    assertFalse(BucketNames.isValid(name), name);
  }

  @Test
  void noTwoAdjacentDots() {
    assertFalse(BucketNames.isValid("a..b"));
    assertFalse(BucketNames.isValid("my..bucket"));
    assertFalse(BucketNames.isValid("a...b"));
    assertTrue(BucketNames.isValid("a.b.c"));
  }

  /**
   * Stricter than today's AWS list, which forbids only two adjacent dots: a dot next to a hyphen
   * ({@code .-}, {@code -.}) is refused too, as AWS's older DNS-compliance rules did. Two hyphens are fine.
   */
  @Test
  void noDotNextToAHyphen() {
    assertFalse(BucketNames.isValid("a.-b"));
    assertFalse(BucketNames.isValid("a-.b"));
    assertFalse(BucketNames.isValid("my-.bucket"));
    assertFalse(BucketNames.isValid("my.-bucket"));
    assertTrue(BucketNames.isValid("a--b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.168.5.4", "10.0.0.1", "127.0.0.1", "0.0.0.0", "255.255.255.255",
      // shaped like an address though not one: refused as well
      "999.999.999.999", "1.22.333.4"})
  void notFormattedAsAnIpAddress(String name) {
    assertFalse(BucketNames.isValid(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"xn--punycode", "xn--bcher-kva", "sthree-bucket", "sthree-configurator",
      "amzn-s3-demo-bucket"})
  void reservedPrefixes(String name) {
    assertFalse(BucketNames.isValid(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bucket-s3alias", "bucket--ol-s3", "bucket.mrap", "bucket--x-s3", "bucket--table-s3",
      "a-s3alias"})
  void reservedSuffixes(String name) {
    assertFalse(BucketNames.isValid(name), name);
  }

  /** Tarn's own paths live under {@code /_tarn/}: the underscore means no bucket can ever shadow them. */
  @ParameterizedTest
  @ValueSource(strings = {"_tarn", "_tarn-console", "tarn_"})
  void theReservedTarnPrefixIsNeverABucketName(String name) {
    assertFalse(BucketNames.isValid(name), name);
    assertTrue(BucketNames.isValid("tarn"));
  }

  @Test
  void nullIsInvalid() {
    assertFalse(BucketNames.isValid(null));
    S3Exception e = assertThrows(S3Exception.class, () -> BucketNames.validate(null));
    assertEquals(S3Error.INVALID_BUCKET_NAME, e.error());
    assertEquals(Map.of("BucketName", ""), e.extra());
  }

  @Test
  void validateThrowsInvalidBucketNameNamingTheBucket() {
    S3Exception e = assertThrows(S3Exception.class, () -> BucketNames.validate("Bad_Name"));
    assertEquals(S3Error.INVALID_BUCKET_NAME, e.error());
    assertEquals(400, e.error().httpStatus());
    assertEquals("The specified bucket is not valid.", e.getMessage());
    assertEquals(Map.of("BucketName", "Bad_Name"), e.extra());
  }
}
