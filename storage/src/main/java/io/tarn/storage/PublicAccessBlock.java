package io.tarn.storage;

import java.util.Locale;

/**
 * A bucket's S3 public access block configuration, the four settings of
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options:
 *
 * @param blockPublicAcls refuse PUT requests that carry a public ACL (the ACL code's check)
 * @param ignorePublicAcls ignore the public grants of ACLs (the ACL code's check)
 * @param blockPublicPolicy refuse PutBucketPolicy of a public policy
 * @param restrictPublicBuckets a public policy's Allow counts only for callers who are not anonymous and
 *     are the bucket's owner, an admin, or hold a grant on the bucket
 */
public record PublicAccessBlock(
    boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy, boolean restrictPublicBuckets) {
  /** Nothing blocked: a bucket without a configuration, on a server without a default. */
  public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);
  /** Everything blocked. */
  public static final PublicAccessBlock ALL = new PublicAccessBlock(true, true, true, true);

  /** The names of the four settings, as S3's XML and {@code tarn server --public-access-block} spell them. */
  public static final java.util.List<String> NAMES =
      java.util.List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets");

  /** Each setting blocked if either blocks it: a bucket's own configuration cannot loosen the server's. */
  public PublicAccessBlock or(PublicAccessBlock other) {
    return new PublicAccessBlock(blockPublicAcls || other.blockPublicAcls, ignorePublicAcls || other.ignorePublicAcls,
        blockPublicPolicy || other.blockPublicPolicy, restrictPublicBuckets || other.restrictPublicBuckets);
  }

  /**
   * Reads the server option: {@code none}, {@code all}, or a comma-separated list of the four names
   * (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value that is none of these
   */
  public static PublicAccessBlock parse(String option) {
    String v = option == null ? "" : option.trim();
    if (v.equalsIgnoreCase("none") || v.isEmpty()) {
      return NONE;
    }
    if (v.equalsIgnoreCase("all")) {
      return ALL;
    }
    boolean[] on = new boolean[4];
    for (String part : v.split(",", -1)) {
      String name = part.trim();
      int i = -1;
      for (int j = 0; j < NAMES.size(); j++) {
        if (NAMES.get(j).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          i = j;
        }
      }
      if (i < 0) {
        throw new IllegalArgumentException("'" + name + "' is not a public access block setting: expected none, all,"
            + " or a comma-separated list of " + String.join(", ", NAMES));
      }
      on[i] = true;
    }
    return new PublicAccessBlock(on[0], on[1], on[2], on[3]);
  }

  /** The four settings as bits, in the order of {@link #NAMES} (bit 0 = BlockPublicAcls). */
  public int bits() {
    return (blockPublicAcls ? 1 : 0) | (ignorePublicAcls ? 2 : 0) | (blockPublicPolicy ? 4 : 0)
        | (restrictPublicBuckets ? 8 : 0);
  }

  /** The inverse of {@link #bits()}. */
  public static PublicAccessBlock ofBits(int bits) {
    return new PublicAccessBlock((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0);
  }
}
