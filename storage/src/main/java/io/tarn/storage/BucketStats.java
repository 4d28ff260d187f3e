package io.tarn.storage;

/**
 * Size of a bucket's current contents.
 *
 * @param bucket the bucket
 * @param objects number of objects
 * @param bytes sum of their sizes
 */
public record BucketStats(String bucket, long objects, long bytes) {}
