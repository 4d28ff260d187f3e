package io.tarn.storage.blobs;

import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.core.checksum.Digest;
import io.tarn.storage.BlobUpload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@link BlobUpload} of {@link TarnStore}. A body whose size stays within the inline threshold
 * is kept in memory (it will be committed into RocksDB, no file, no fsync); a body that grows past
 * it spills to a temp file, and a declared length above the threshold goes to a file from the
 * start. A threshold of 0 turns this off: every body, even an empty one, goes to a file. MD5 and the requested digests are updated as bytes arrive.
 *
 * <p>Synchronized, so a {@link #close()} from another thread (a dropped connection) cannot race a
 * write or the store claiming the body.
 */
public final class ReceivingUpload implements BlobUpload {
  private enum State { RECEIVING, FINISHED, CLAIMED, CLOSED }

  /** What the store takes over from a finished upload. */
  public sealed interface Claimed permits InMemory, InFile {}

  /** @param inlineValue the bytes as an {@link InlineValue}: format byte first */
  public record InMemory(byte[] inlineValue) implements Claimed {}

  public record InFile(BlobStore.TempFile file) implements Claimed {
    /** The id the file will have once installed (its description names it). */
    public String blobId() {
      return file.id();
    }
  }

  /** A file body asks {@link DiskSpace} again each time it grows by this much: the disk may fill meanwhile. */
  static final long RECHECK_BYTES = 16L << 20;

  private final BlobStore owner;
  private final DiskSpace space;
  private final int threshold;
  private final long expectedLength;
  /** The size at which a file body is next checked against the free-space floor. */
  private long nextCheck;
  private final Digest md5 = ChecksumAlgorithm.MD5.newDigest();
  private final Map<ChecksumAlgorithm, Digest> digests = new EnumMap<>(ChecksumAlgorithm.class);
  private State state = State.RECEIVING;
  /** While in memory: an {@link InlineValue} being filled (format byte, then memoryLength bytes). */
  private byte[] memory;
  private int memoryLength;
  private BlobStore.TempFile file;
  private long size;
  private Digests result;

  /**
   * @param expectedLength the declared length, or -1
   * @throws io.tarn.storage.StorageException STORAGE_FULL if the declared length would take the disk
   *     below its floor: refused when the request head arrives, before any byte is read
   */
  public ReceivingUpload(BlobStore owner, DiskSpace space, int threshold, long expectedLength,
      Set<ChecksumAlgorithm> algorithms) {
    space.admit(expectedLength);
    this.owner = owner;
    this.space = space;
    this.threshold = threshold;
    this.expectedLength = expectedLength;
    this.nextCheck = RECHECK_BYTES;
    for (ChecksumAlgorithm a : algorithms) {
      if (a != ChecksumAlgorithm.MD5) { // MD5 is always computed
        digests.put(a, a.newDigest());
      }
    }
    if (expectedLength > threshold || threshold == 0) {
      file = owner.newTemp();
    } else {
      int initial = expectedLength >= 0 ? (int) expectedLength : Math.min(threshold, 8192);
      memory = new byte[InlineValue.OFFSET + initial];
      memory[0] = InlineValue.FORMAT;
    }
  }

  public boolean ownedBy(BlobStore store) {
    return owner == store;
  }

  @Override
  public synchronized void write(ByteBuffer src) {
    if (state != State.RECEIVING) {
      throw new IllegalStateException("upload is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    int n = src.remaining();
    md5.update(src.duplicate());
    for (Digest d : digests.values()) {
      d.update(src.duplicate());
    }
    if (file == null && size + n <= threshold) {
      int capacity = memory.length - InlineValue.OFFSET;
      if (memoryLength + n > capacity) {
        long grown = Math.min(threshold, Math.max(2L * capacity, memoryLength + (long) n));
        memory = Arrays.copyOf(memory, InlineValue.OFFSET + (int) grown);
      }
      src.get(memory, InlineValue.OFFSET + memoryLength, n);
      memoryLength += n;
    } else {
      if (file == null) {
        spill();
      }
      if (size + n >= nextCheck) {
        // What is still to come must fit too (another process may have filled the disk meanwhile).
        space.admit(expectedLength >= 0 ? expectedLength - size : n);
        nextCheck = size + n + RECHECK_BYTES;
      }
      writeFully(src);
    }
    size += n;
  }

  /** Moves the bytes held so far into a new temp file. */
  private void spill() {
    space.admit(expectedLength >= 0 ? expectedLength : threshold); // a body of unknown length outgrew memory
    file = owner.newTemp();
    writeFully(ByteBuffer.wrap(memory, InlineValue.OFFSET, memoryLength));
    memory = null;
    memoryLength = 0;
  }

  private void writeFully(ByteBuffer src) {
    try {
      file.write(src);
    } catch (IOException e) {
      throw BlobStore.io("write " + file.path(), e);
    }
  }

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public synchronized Digests finish() {
    if (result != null) {
      return result;
    }
    if (state != State.RECEIVING) {
      throw new IllegalStateException("upload is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    Map<ChecksumAlgorithm, byte[]> values = new EnumMap<>(ChecksumAlgorithm.class);
    digests.forEach((a, d) -> values.put(a, d.finish()));
    result = new Digests(size, md5.finish(), Map.copyOf(values));
    state = State.FINISHED;
    return result;
  }

  /** The digests of a finished upload. */
  public synchronized Digests digests() {
    if (result == null) {
      throw new IllegalStateException("upload not finished");
    }
    return result;
  }

  /**
   * Hands the body to the store, once. From here on the store owns the temp file (it installs or
   * deletes it) and {@link #close()} does nothing.
   */
  public synchronized Claimed claim() {
    if (state != State.FINISHED) {
      throw new IllegalStateException(state == State.RECEIVING ? "upload not finished"
          : "upload already " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    state = State.CLAIMED;
    if (file != null) {
      return new InFile(file);
    }
    int length = InlineValue.OFFSET + memoryLength;
    byte[] value = length == memory.length ? memory : Arrays.copyOf(memory, length);
    memory = null;
    return new InMemory(value);
  }

  @Override
  public synchronized void close() {
    if (state == State.CLAIMED || state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    memory = null;
    if (file != null) {
      BlobStore.closeQuietly(file.channel());
      BlobStore.deleteQuietly(file.path());
    }
  }
}
