package io.tarn.s3.xml;

/**
 * The optional CreateBucket request body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_RequestBody).
 *
 * @param locationConstraint the requested region, or {@code null} when absent or empty
 */
public record CreateBucketConfiguration(String locationConstraint) {}
