package io.tarn.storage.access.policy;

/**
 * What a bucket policy says about one request: an explicit {@link #DENY} (which nothing overrides), an
 * {@link #ALLOW}, or {@link #NONE} (no statement applies; the ACL and ownership decide, and without
 * their allow the request is denied implicitly)
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 */
public enum Decision {
  ALLOW,
  DENY,
  NONE
}
