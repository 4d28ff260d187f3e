/**
 * The IAM policy language of S3 bucket policies: {@link io.tarn.storage.access.policy.BucketPolicy}
 * parses and validates a document ({@link io.tarn.storage.access.policy.MalformedPolicyException}
 * names what S3 would refuse), evaluates a {@link io.tarn.storage.access.policy.PolicyRequest} to a
 * {@link io.tarn.storage.access.policy.Decision} and tells whether the policy is public. Pure: no
 * storage, no HTTP, JDK and core types only; the caller (s3-api's Authorizer) maps operations to
 * actions, computes the condition keys and stores the text. docs/access/policies.md describes the
 * language as Tarn supports it.
 */
package io.tarn.storage.access.policy;
