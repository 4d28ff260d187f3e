/**
 * Internal to the storage module (other modules use {@code io.tarn.storage} only; {@code
 * StorageBoundaryTest} checks): buckets, objects, multipart uploads and listings. {@link
 * io.tarn.storage.objects.Buckets}, {@link io.tarn.storage.objects.ObjectOps}, {@link
 * io.tarn.storage.objects.MultipartOps} and {@link io.tarn.storage.objects.Listings} implement the
 * operations of {@code ObjectStore}; {@link io.tarn.storage.objects.ObjectTables} holds the key
 * layouts and records of their column families; {@link io.tarn.storage.objects.StoreContext} and
 * {@link io.tarn.storage.objects.Locks} are what all operation classes (the identity ones too)
 * share. Types and members are public only where the other storage packages need them.
 */
package io.tarn.storage.objects;
