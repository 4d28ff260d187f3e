package io.tarn.storage;

/**
 * The metadata store's own figures, read from RocksDB's properties (each an O(1) read of a counter
 * RocksDB keeps), summed over the column families where RocksDB keeps them per family.
 *
 * @param pendingCompactionBytes {@code rocksdb.estimate-pending-compaction-bytes}: bytes compaction
 *     still has to rewrite; growing without end means writes outrun compaction
 * @param runningCompactions {@code rocksdb.num-running-compactions}
 * @param liveSstBytes {@code rocksdb.live-sst-files-size}: the SST files the current version uses
 * @param memtableBytes {@code rocksdb.cur-size-all-mem-tables}: memtables, active and unflushed
 */
public record MetaFigures(long pendingCompactionBytes, long runningCompactions, long liveSstBytes,
    long memtableBytes) {}
