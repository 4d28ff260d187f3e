package io.tarn.core;

import java.util.regex.Pattern;

/**
 * General-purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
public final class BucketNames {
  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final String[] BAD_PREFIXES = {"xn--", "sthree-", "amzn-s3-demo-"};
  private static final String[] BAD_SUFFIXES = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};

  private BucketNames() {}

  /** Whether {@code name} is a valid bucket name for a new bucket. */
  public static boolean isValid(String name) {
    if (name == null || !SHAPE.matcher(name).matches()) {
      return false;
    }
    if (name.contains("..") || name.contains(".-") || name.contains("-.") || IPV4.matcher(name).matches()) {
      return false;
    }
    for (String p : BAD_PREFIXES) {
      if (name.startsWith(p)) {
        return false;
      }
    }
    for (String s : BAD_SUFFIXES) {
      if (name.endsWith(s)) {
        return false;
      }
    }
    return true;
  }

  /** @throws S3Exception {@code InvalidBucketName} unless {@link #isValid}. */
  public static void validate(String name) {
    if (!isValid(name)) {
      throw new S3Exception(S3Error.INVALID_BUCKET_NAME, "The specified bucket is not valid.",
          java.util.Map.of("BucketName", name == null ? "" : name));
    }
  }
}
