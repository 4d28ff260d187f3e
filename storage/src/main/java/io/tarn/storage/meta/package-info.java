/**
 * Internal to the storage module (other modules use {@code io.tarn.storage} only; {@code
 * StorageBoundaryTest} checks): the metadata store. {@link io.tarn.storage.meta.MetaStore} is the
 * only class that touches RocksDB, a generic store of byte keys and values in the {@link
 * io.tarn.storage.meta.ColumnFamily column families} it owns, with batches, commits and iteration
 * (its options are in {@code RocksTuning}, its recovering open in {@code MetaOpening});
 * {@link io.tarn.storage.meta.Codec} and {@link io.tarn.storage.meta.Keys} are the building blocks
 * of the records' encodings and key layouts, which live beside their owners. {@link
 * io.tarn.storage.meta.Sequencer} hands out event sequencers. Types and members are public only
 * where the other storage packages need them.
 */
package io.tarn.storage.meta;
