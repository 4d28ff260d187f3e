package io.tarn.storage.blobs;

import io.tarn.storage.BlockCheck;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ObjectContent} of {@link TarnStore}: the record and its bytes as of one moment (blob
 * files are already open, inline bytes and small verified blobs already read), so a concurrent
 * overwrite cannot change or break the read.
 */
public final class OpenedObject implements ObjectContent {
  /** Where a run of the object's bytes comes from, in object order. */
  public sealed interface Source permits FileSource, BytesSource {
    long length();
  }

  /**
   * {@code length} bytes of an open blob file from position 0.
   *
   * @param check verifies its blocks as they are sent, or null (unverified)
   */
  public record FileSource(FileChannel channel, long length, BlockCheck check) implements Source {}

  /** {@code length} bytes of {@code bytes} from {@code offset}, already verified or inline. */
  public record BytesSource(byte[] bytes, int offset, int count) implements Source {
    @Override
    public long length() {
      return count;
    }
  }

  private final ObjectInfo info;
  private final List<Source> sources;
  private final long[] starts;
  private final boolean[] handedOut;
  private boolean segmentsTaken;
  private boolean closed;

  private OpenedObject(ObjectInfo info, List<Source> sources) {
    this.info = info;
    this.sources = List.copyOf(sources);
    this.starts = new long[sources.size()];
    long at = 0;
    for (int i = 0; i < sources.size(); i++) {
      starts[i] = at;
      at += sources.get(i).length();
    }
    this.handedOut = new boolean[sources.size()];
  }

  /** @param inlineValue an {@link InlineValue}, already checked */
  public static OpenedObject ofInline(ObjectInfo info, byte[] inlineValue) {
    int length = inlineValue.length - InlineValue.OFFSET;
    return new OpenedObject(info, List.of(new BytesSource(inlineValue, InlineValue.OFFSET, length)));
  }

  /** @param sources the object's bytes, in object order */
  public static OpenedObject of(ObjectInfo info, List<Source> sources) {
    return new OpenedObject(info, sources);
  }

  @Override
  public ObjectInfo info() {
    return info;
  }

  /**
   * {@inheritDoc}
   *
   * <p>With verified reads, the first block of the range is verified here, before any response head
   * is sent: most damage then is a clean error rather than a connection cut short. A range that lies
   * inside that block is handed out as the block's verified bytes (a small ranged read of a big
   * object is then read and checked once, and sent without a second trip to a worker).
   *
   * @throws io.tarn.storage.StorageException CORRUPT if that block fails verification
   */
  @Override
  public synchronized List<Segment> segments(long offset, long length) {
    if (closed) {
      throw new IllegalStateException("object content is closed");
    }
    if (segmentsTaken) {
      throw new IllegalStateException("segments() may be called once");
    }
    if (offset < 0 || length < 0 || offset > info.size() - length) {
      throw new IllegalArgumentException(
          "range [" + offset + ", +" + length + ") is outside the object (size " + info.size() + ")");
    }
    segmentsTaken = true;
    List<Segment> out = new ArrayList<>();
    long end = offset + length;
    boolean firstChecked = false;
    for (int i = 0; i < sources.size() && length > 0; i++) {
      Source s = sources.get(i);
      long from = Math.max(offset, starts[i]);
      long to = Math.min(end, starts[i] + s.length());
      if (from >= to) {
        continue;
      }
      if (s instanceof FileSource f) {
        long position = from - starts[i];
        ByteBuffer block = null;
        if (!firstChecked && f.check() != null) {
          block = verifyBlockAt(f, position);
        }
        firstChecked = true;
        int inBlock = block == null ? 0 : (int) (position % f.check().blockSize());
        if (block != null && inBlock + (to - from) <= block.limit()) {
          // The range lies in the block just verified: send those bytes, not the file a second time.
          out.add(new Segment.BytesSegment(block.array(), inBlock, (int) (to - from)));
        } else {
          out.add(new Segment.FileSegment(f.channel(), position, to - from, f.check()));
          handedOut[i] = true;
        }
      } else {
        BytesSource b = (BytesSource) s;
        out.add(new Segment.BytesSegment(b.bytes(), b.offset() + (int) (from - starts[i]), (int) (to - from)));
        firstChecked = true;
      }
    }
    return out;
  }

  /** Reads and verifies the block holding {@code position} (one pread of at most a block): its bytes. */
  private static ByteBuffer verifyBlockAt(FileSource f, long position) {
    BlockCheck check = f.check();
    long index = position / check.blockSize();
    long start = index * check.blockSize();
    ByteBuffer block = ByteBuffer.allocate((int) Math.min(check.blockSize(), check.dataLength() - start));
    try {
      BlobTrailer.readFully(f.channel(), block, start);
    } catch (IOException e) {
      throw BlobStore.io("read a blob block", e);
    }
    check.verify(index, block.flip());
    return block;
  }

  /** Closes the file channels that were not handed out by {@link #segments}. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i) instanceof FileSource f && !handedOut[i]) {
        BlobStore.closeQuietly(f.channel());
      }
    }
  }
}
