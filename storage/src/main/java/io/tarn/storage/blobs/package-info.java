/**
 * Internal to the storage module (other modules use {@code io.tarn.storage} only; {@code
 * StorageBoundaryTest} checks): object bytes outside RocksDB. {@link
 * io.tarn.storage.blobs.BlobStore} owns {@code <data>/blobs} and {@code <data>/tmp} (write, fsync,
 * atomic move, hard links, the start-up sweeps); {@link io.tarn.storage.blobs.ReceivingUpload} is a
 * body being received, in memory up to the inline threshold and in a temp file beyond; {@link
 * io.tarn.storage.blobs.OpenedObject} reads a stored object's segments. Types and members are public
 * only where the other storage packages need them.
 */
package io.tarn.storage.blobs;
