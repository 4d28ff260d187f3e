package io.tarn.server.bench;

/**
 * The objects a GET or LIST run reads: {@code count} objects of {@code size} bytes named
 * {@code bench/<size>/o00000000} and up in {@code bucket}. Naming them by size lets runs of
 * different sizes share a bucket, and lets a later run reuse what an earlier one wrote.
 */
record Dataset(String bucket, long count, long size) {

  /** The key prefix the objects share; a LIST walks exactly these keys. */
  String prefix() {
    return "bench/" + new ByteSize(size) + "/";
  }

  /** The encoded request path of object {@code i}. */
  String path(long i) {
    String digits = Long.toString(i);
    StringBuilder p = new StringBuilder(bucket.length() + 32)
        .append('/').append(bucket).append('/').append(prefix()).append('o');
    for (int pad = digits.length(); pad < 8; pad++) {
      p.append('0');
    }
    return p.append(digits).toString();
  }

  /**
   * The path of an empty object written once the whole set is in place, so a later run can skip
   * writing it again. It sits beside the prefix, not under it, so LIST never sees it.
   */
  String markerPath() {
    return "/" + bucket + "/bench/" + new ByteSize(size) + ".populated-" + count;
  }

  String bucketPath() {
    return "/" + bucket;
  }
}
