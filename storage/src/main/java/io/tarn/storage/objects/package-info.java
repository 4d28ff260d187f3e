/**
 * Internal to the storage module (other modules use {@code io.tarn.storage} only; {@code
 * StorageBoundaryTest} checks): buckets, objects, multipart uploads and listings. {@link
 * io.tarn.storage.objects.Buckets}, {@link io.tarn.storage.objects.ObjectOps}, {@link
 * io.tarn.storage.objects.MultipartOps} and {@link io.tarn.storage.objects.Listings} implement the
 * operations of {@code ObjectStore}; {@link io.tarn.storage.objects.ObjectTables} holds the key
 * layouts and records of their column families; {@link io.tarn.storage.objects.StoreContext} and
 * {@link io.tarn.storage.objects.Locks} are what all operation classes (the identity ones too)
 * share. Types and members are public only where the other storage packages need them.
 *
 * <p>A bucket's record carries its incarnation ({@link io.tarn.storage.objects.BucketRecord}); every
 * commit checks the one its write names ({@code StoreContext.requireBucket(BucketRef)}) under the
 * bucket's lock, so a write authorized against a bucket never commits into another created later
 * under its name.
 */
package io.tarn.storage.objects;
