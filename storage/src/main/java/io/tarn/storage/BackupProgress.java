package io.tarn.storage;

/**
 * Where a running backup is.
 *
 * @param phase {@code checkpoint}, {@code blobs} (linking or copying), {@code files} or {@code verify}
 * @param done blob files done in this phase
 * @param total blob files the phase has to do (0 while unknown)
 * @param bytes bytes of blob files done in this phase
 */
public record BackupProgress(String phase, long done, long total, long bytes) {}
