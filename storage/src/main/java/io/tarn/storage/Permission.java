package io.tarn.storage;

/** Access a bucket owner grants another user. */
public enum Permission {
  /** List the bucket and read its objects. */
  READ,
  /** READ, plus write and delete objects and run multipart uploads. */
  READ_WRITE
}
