package io.tarn.storage.blobs;

import io.tarn.storage.ObjectContent;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.Segment;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ObjectContent} of {@link TarnStore}: the record and its bytes as of one moment (blob
 * files are already open, inline bytes already read), so a concurrent overwrite cannot change or
 * break the read.
 */
public final class OpenedObject implements ObjectContent {
  /** A run of the object's bytes starting at object offset {@code start}. */
  private sealed interface Piece permits FilePiece, BytesPiece {
    long start();

    long length();
  }

  private record FilePiece(long start, long length, FileChannel channel) implements Piece {}

  /** {@code length} bytes of {@code bytes} from {@code offset}. */
  private record BytesPiece(long start, long length, byte[] bytes, int offset) implements Piece {}

  private final ObjectInfo info;
  private final List<Piece> pieces;
  private final boolean[] handedOut;
  private boolean segmentsTaken;
  private boolean closed;

  private OpenedObject(ObjectInfo info, List<Piece> pieces) {
    this.info = info;
    this.pieces = pieces;
    this.handedOut = new boolean[pieces.size()];
  }

  /** @param inlineValue an {@link InlineValue}, already checked */
  public static OpenedObject ofInline(ObjectInfo info, byte[] inlineValue) {
    int length = inlineValue.length - InlineValue.OFFSET;
    return new OpenedObject(info, List.of(new BytesPiece(0, length, inlineValue, InlineValue.OFFSET)));
  }

  /** @param lengths the length of each file, in object order */
  public static OpenedObject ofFiles(ObjectInfo info, List<FileChannel> channels, List<Long> lengths) {
    List<Piece> pieces = new ArrayList<>(channels.size());
    long at = 0;
    for (int i = 0; i < channels.size(); i++) {
      pieces.add(new FilePiece(at, lengths.get(i), channels.get(i)));
      at += lengths.get(i);
    }
    return new OpenedObject(info, pieces);
  }

  @Override
  public ObjectInfo info() {
    return info;
  }

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
    for (int i = 0; i < pieces.size() && length > 0; i++) {
      Piece p = pieces.get(i);
      long from = Math.max(offset, p.start());
      long to = Math.min(end, p.start() + p.length());
      if (from >= to) {
        continue;
      }
      if (p instanceof FilePiece f) {
        out.add(new Segment.FileSegment(f.channel(), from - f.start(), to - from));
        handedOut[i] = true;
      } else {
        BytesPiece b = (BytesPiece) p;
        out.add(new Segment.BytesSegment(b.bytes(), b.offset() + (int) (from - b.start()), (int) (to - from)));
      }
    }
    return out;
  }

  /** Closes the file channels that were not handed out by {@link #segments}. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = 0; i < pieces.size(); i++) {
      if (pieces.get(i) instanceof FilePiece f && !handedOut[i]) {
        BlobStore.closeQuietly(f.channel());
      }
    }
  }
}
