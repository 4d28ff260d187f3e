package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.core.EventName;
import io.tarn.core.ManualClock;
import io.tarn.core.MutationEvent;
import io.tarn.core.Principal;
import io.tarn.core.RequestContext;
import io.tarn.core.Role;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store in a temp directory per test, with helpers to write and read bodies. */
abstract class StoreTestSupport {
  static final int THRESHOLD = 1024;
  static final String OWNER = "a".repeat(64);
  static final RequestContext CTX =
      new RequestContext("REQ1", new Principal(OWNER, "alice", "AKID", Role.USER), "127.0.0.1");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00.123Z"));
  final RecordingSink sink = new RecordingSink();
  TarnStore store;

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** Small inline threshold so tests exercise both kinds of body cheaply; no fsync, for speed. */
  StorageOptions options() {
    return new StorageOptions(dir, THRESHOLD, false);
  }

  TarnStore open() {
    return TarnStore.open(options(), sink, clock);
  }

  IdentityStore id() {
    return store.identity();
  }

  /** Runs {@code op}, which must fail with {@code kind}; the failure, for more checks. */
  static StorageException failure(StorageException.Kind kind, Executable op) {
    StorageException e = assertThrows(StorageException.class, op);
    assertEquals(kind, e.kind(), e.getMessage());
    return e;
  }

  void reopen() {
    store.close();
    store = open();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  BlobUpload body(byte[] data, long expectedLength, ChecksumAlgorithm... digests) {
    BlobUpload u = store.openUpload(expectedLength, Set.of(digests));
    // In several writes, as a network body arrives.
    for (int at = 0; at < data.length; at += 700) {
      u.write(ByteBuffer.wrap(data, at, Math.min(700, data.length - at)));
    }
    u.finish();
    return u;
  }

  ObjectInfo put(String bucket, String key, byte[] data) {
    return put(bucket, key, data, WriteCondition.NONE);
  }

  ObjectInfo put(String bucket, String key, byte[] data, WriteCondition condition) {
    try (BlobUpload u = body(data, data.length)) {
      return store.putObject(bucket, key, u, ObjectMetadata.of("text/plain", Map.of()), null, condition,
          EventName.OBJECT_CREATED_PUT, CTX);
    }
  }

  byte[] read(String bucket, String key) {
    try (ObjectContent content = store.open(bucket, key)) {
      return readRange(content, 0, content.info().size());
    }
  }

  static byte[] readRange(ObjectContent content, long offset, long length) {
    ByteBuffer out = ByteBuffer.allocate((int) length);
    for (Segment s : content.segments(offset, length)) {
      if (s instanceof Segment.BytesSegment b) {
        out.put(b.data(), b.offset(), b.count());
      } else {
        Segment.FileSegment f = (Segment.FileSegment) s;
        try (var ch = f.channel()) {
          ByteBuffer part = ByteBuffer.allocate((int) f.length());
          while (part.hasRemaining() && ch.read(part, f.position() + part.position()) >= 0) {
            // read until full
          }
          out.put(part.flip());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out.array();
  }

  /** Blob file names currently under blobs/. */
  List<String> blobFiles() {
    try (Stream<Path> s = Files.walk(dir.resolve("blobs"))) {
      List<String> out = new ArrayList<>();
      s.filter(Files::isRegularFile).forEach(p -> out.add(p.getFileName().toString()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Committed events (what {@link RecordingSink} staged into the event log table), decoded. */
  List<String> committedEvents() {
    List<String> out = new ArrayList<>();
    for (RecordStore.Entry e : store.records().scan(RecordTable.EVENT_PAYLOADS, new byte[0], null, Integer.MAX_VALUE)) {
      out.add(new String(e.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * Stages one record per event, keyed by sequencer, into the batch being committed (into a
   * {@link RecordTable}, so that {@link #committed} is called), and remembers what it was asked to
   * stage (committed or not).
   */
  static final class RecordingSink implements EventSink {
    final List<MutationEvent> staged = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How many batches that staged through this sink were closed without committing. */
    final java.util.concurrent.atomic.AtomicInteger aborted = new java.util.concurrent.atomic.AtomicInteger();
    volatile RuntimeException failWith;
    volatile java.util.function.Consumer<MutationEvent> onStage = e -> {};
    volatile Runnable onCommitted = () -> {};
    /** The keys of the events each committed batch's staging was told about, in the order told. */
    final List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Staging open(EventBatch batch) {
      return new Staging() {
        private final List<String> mine = new ArrayList<>();

        @Override
        public void stage(MutationEvent event) {
          mine.add(event.key());
          staged.add(event);
          onStage.accept(event);
          if (failWith != null) {
            throw failWith;
          }
          batch.put(RecordTable.EVENT_PAYLOADS, utf8(event.sequencer()), utf8(describe(event)));
        }

        @Override
        public void committed() {
          told.addAll(mine);
          onCommitted.run();
        }

        @Override
        public void aborted() {
          aborted.incrementAndGet();
        }
      };
    }

    static String describe(MutationEvent e) {
      return e.eventName().wireName() + " " + e.bucket() + "/" + e.key() + " size=" + e.size() + " etag=" + e.eTag()
          + " replaced=" + e.replacedExisting() + " seq=" + e.sequencer();
    }
  }
}
