package io.tarn.s3.ops;

/** Display names for canonical user ids, for the Owner elements of listings and ACLs. */
@FunctionalInterface
public interface Owners {
  /** The display name of {@code userId}, or the id itself when unknown. */
  String displayName(String userId);
}
