package io.tarn.storage.access.policy;

/**
 * A bucket policy that cannot be stored: its message names the problem the way S3's {@code
 * MalformedPolicy} error does (e.g. "Policy has invalid resource", "Missing required field
 * Statement"), so the caller answers {@code 400 MalformedPolicy} with this message
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 */
public final class MalformedPolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedPolicyException(String message) {
    super(message);
  }
}
