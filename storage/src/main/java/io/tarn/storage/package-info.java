/**
 * The storage module's contract, the only package other modules may import: {@link
 * io.tarn.storage.ObjectStore} and {@link io.tarn.storage.IdentityStore}, {@link
 * io.tarn.storage.TarnStore} (the entry point that opens a data directory), {@link
 * io.tarn.storage.StorageOptions}, {@link io.tarn.storage.StorageException}, the notifications
 * module's hooks ({@link io.tarn.storage.EventSink}, {@link io.tarn.storage.RecordStore}, {@link
 * io.tarn.storage.RecordTable}, {@link io.tarn.storage.SecretSealer}) and the value types callers
 * see.
 *
 * <p>The implementation is in sub-packages internal to this module: {@code objects} (buckets,
 * objects, multipart uploads, listings), {@code blobs} (blob files, bodies being received),
 * {@code identity} (users, access keys, API tokens, grants) and {@code meta} (the RocksDB metadata
 * store). {@code StorageBoundaryTest} fails if another module imports them.
 */
package io.tarn.storage;
