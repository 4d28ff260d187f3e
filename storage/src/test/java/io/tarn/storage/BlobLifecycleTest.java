package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Blob life-cycle records and the start-up sweep that relies on them: a blob file is deleted only
 * when its record proves it never committed or was released; one no record accounts for is
 * quarantined; a store whose index is missing, or whose WAL is corrupt, is refused.
 */
class BlobLifecycleTest extends StoreTestSupport {
  @org.junit.jupiter.api.io.TempDir Path crashes;
  private static final byte LIVE = 1;
  private static final byte INTENT = 2;
  private static final byte RELEASED = 3;
  private static final byte NONE = 0;

  private byte state(String id) {
    byte[] v = store.meta().get(ColumnFamily.BLOBREFS, Hex.decode(id));
    return v == null ? NONE : v[0];
  }

  private Set<String> newFiles(Set<String> before) {
    Set<String> now = new HashSet<>(blobFiles());
    now.removeAll(before);
    return now;
  }

  @Test
  void aBlobIsAnIntentUntilItsCommitLiveAfterItAndReleasedUntilItsFileIsDeleted() {
    store.createBucket("bkt", "r", OWNER);
    Set<String> before = new HashSet<>(blobFiles());
    List<String> seen = new ArrayList<>();
    // Inside the commit (the event is staged into its batch): the file is installed, not yet live.
    sink.onStage = e -> newFiles(before).forEach(id -> seen.add(id + "=" + state(id)));
    put("bkt", "k", bytes(5000, 1));
    String first = newFiles(before).iterator().next();
    assertEquals(List.of(first + "=" + INTENT), seen, "an installed, uncommitted file is an intent");
    assertEquals(LIVE, state(first));

    // Overwrite: the commit releases the old file; once it is deleted its record goes too.
    sink.onStage = e -> {};
    List<Byte> atCommit = new ArrayList<>();
    sink.onCommitted = () -> atCommit.add(state(first));
    put("bkt", "k", bytes(6000, 2));
    assertEquals(List.of(RELEASED), atCommit, "committed, not yet deleted: released");
    assertFalse(blobFiles().contains(first));
    assertEquals(NONE, state(first), "record removed with the file");
    sink.onCommitted = () -> {};

    // A commit that fails: its file is deleted, and so is its intent.
    Set<String> beforeFailure = new HashSet<>(blobFiles());
    sink.failWith = new IllegalStateException("staging failed");
    assertThrows(IllegalStateException.class, () -> put("bkt", "other", bytes(7000, 3)));
    sink.failWith = null;
    assertEquals(beforeFailure, new HashSet<>(blobFiles()));
    assertEquals(beforeFailure.size(), records().size(), "no record left by the failed write: " + records());

    // Delete: file and record gone.
    store.delete("bkt", "k", WriteCondition.NONE, CTX);
    assertTrue(blobFiles().isEmpty());
    assertTrue(records().isEmpty(), records().toString());
  }

  @Test
  void copiesPartsAndAbortsKeepOneRecordPerFile() {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "src", bytes(5000, 1));
    Set<String> before = new HashSet<>(blobFiles());
    List<String> seen = new ArrayList<>();
    // A copy hard-links the source's file under a new id and writes its manifest (the blob that says
    // what the copy is): both intents until the copy commits.
    sink.onStage = e -> newFiles(before).forEach(id -> seen.add(id + "=" + state(id)));
    store.copy(new BucketRef("bkt", store.bucket("bkt").orElseThrow().incarnation()), "src",
        new BucketRef("bkt", store.bucket("bkt").orElseThrow().incarnation()), "dst", null, null, null,
        WriteCondition.NONE, CTX);
    sink.onStage = e -> {};
    Set<String> copied = newFiles(before);
    assertEquals(2, copied.size(), copied.toString());
    assertEquals(copied.stream().map(id -> id + "=" + INTENT).sorted().toList(), seen.stream().sorted().toList());
    UploadInfo u = store.createUpload("bkt", "mp", ObjectMetadata.of(null, Map.of()), null, CTX);
    try (BlobUpload b = body(bytes(10, 2), 10)) {
      store.putPart("bkt", "mp", u.uploadId(), 1, b, null);
    }
    try (BlobUpload b = body(bytes(20, 3), 20)) {
      store.putPart("bkt", "mp", u.uploadId(), 1, b, null); // replaces part 1
    }
    Map<String, Byte> records = records();
    assertEquals(new HashSet<>(blobFiles()), records.keySet());
    assertTrue(records.values().stream().allMatch(s -> s == LIVE), records.toString());
    store.abortUpload("bkt", "mp", u.uploadId());
    assertEquals(3, blobFiles().size()); // the source's, the copy's link and the copy's manifest
    assertEquals(new HashSet<>(blobFiles()), records().keySet());
  }

  @Test
  void theSweepDeletesOnlyProvenGarbageAndQuarantinesWhatNoRecordAccountsFor() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    byte[] live = bytes(5000, 1);
    put("bkt", "live", live);
    // What crashes leave: a file installed whose commit never came (intent), one whose commit released
    // it before it could be deleted, records whose files were already gone, and a file no record
    // accounts for (its metadata lost).
    String intent = blobWithRecord(INTENT, bytes(100, 2));
    String released = blobWithRecord(RELEASED, bytes(100, 3));
    String unaccounted = Ids.random128();
    byte[] unaccountedBytes = bytes(300, 4);
    Files.write(blobPath(unaccounted), unaccountedBytes);
    String staleIntent = recordOnly(INTENT);
    String lostLive = recordOnly(LIVE);
    store.close();

    store = open();

    assertFalse(Files.exists(blobPath(intent)), "a never-committed file is deleted");
    assertFalse(Files.exists(blobPath(released)), "a released file is deleted");
    assertEquals(NONE, state(intent));
    assertEquals(NONE, state(released));
    assertEquals(NONE, state(staleIntent), "an intent record without a file is dropped");
    assertEquals(LIVE, state(lostLive), "a live record without a file is kept (and reported)");
    assertFalse(Files.exists(blobPath(unaccounted)));
    assertArrayEquals(unaccountedBytes, Files.readAllBytes(dir.resolve("quarantine").resolve(unaccounted)),
        "a file without a record is quarantined under its id, never deleted");
    assertArrayEquals(live, read("bkt", "live"));
    assertEquals(1, blobFiles().size());
  }

  @Test
  void aMissingMetaDirectoryNextToBlobsIsRefusedAndNothingIsTouched() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "a", bytes(5000, 1));
    put("bkt", "b", bytes(6000, 2));
    store.close();
    store = null;
    Map<String, String> files = blobDigests();
    deleteTree(dir.resolve("meta"));

    StorageException e = assertThrows(StorageException.class, this::open);
    assertTrue(e.getMessage().startsWith("meta/ is missing or empty but blobs/ holds 2 blob files"), e.getMessage());
    assertTrue(e.getMessage().contains("`tarn admin rebuild-index --data " + dir + "`"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertFalse(Files.exists(dir.resolve("meta")), "no database created");
    assertEquals(files, blobDigests());

    // An empty database (meta/ recreated by hand, or by an earlier start) is refused the same way.
    MetaStore.open(dir.resolve("meta"), false).close();
    e = assertThrows(StorageException.class, this::open);
    assertTrue(e.getMessage().startsWith("meta/ is missing or empty but blobs/ holds 2 blob files"), e.getMessage());
    assertEquals(files, blobDigests());
    assertFalse(Files.exists(dir.resolve("quarantine")));
  }

  @Test
  void aRestoredMetaTrustsNoIntentAndQuarantinesInsteadOfDeleting() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", bytes(5000, 1));
    // A write in flight while meta/ is copied (a backup of the running store): installed, an intent.
    String inFlight = blobWithRecord(INTENT, bytes(100, 2));
    Path backup = crashes.resolve("meta-backup");
    copyTree(dir.resolve("meta"), backup);
    putRecord(inFlight, LIVE); // it commits after the copy was taken
    store.close();
    store = null;

    // meta/ is lost and restored from that backup: there the file is only an intent.
    deleteTree(dir.resolve("meta"));
    copyTree(backup, dir.resolve("meta"));
    store = open();

    assertFalse(Files.exists(blobPath(inFlight)));
    assertArrayEquals(bytes(100, 2), Files.readAllBytes(dir.resolve("quarantine").resolve(inFlight)),
        "quarantined, not deleted: its commit may be what the backup lacks");
    assertArrayEquals(bytes(5000, 1), read("bkt", "k"));

    // The next start is an ordinary one again: an intent proves what it says.
    String crashed = blobWithRecord(INTENT, bytes(100, 3));
    reopen();
    assertFalse(Files.exists(blobPath(crashed)));
    assertFalse(Files.exists(dir.resolve("quarantine").resolve(crashed)), "deleted, not quarantined");
  }

  @Test
  void theMetaDirectoryOfAnotherStoreIsRefused() throws Exception {
    store.createBucket("bkt", "r", OWNER);
    put("bkt", "k", bytes(5000, 1));
    store.close();
    store = null;
    Path other = crashes.resolve("other");
    try (TarnStore another = TarnStore.open(new StorageOptions(other, THRESHOLD, false), sink, clock)) {
      another.createBucket("theirs", "r", OWNER);
    }
    Map<String, String> files = blobDigests();
    deleteTree(dir.resolve("meta"));
    copyTree(other.resolve("meta"), dir.resolve("meta"));
    Files.copy(other.resolve("master.key"), dir.resolve("master.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    StorageException e = assertThrows(StorageException.class, this::open);
    assertTrue(e.getMessage().startsWith("meta/ belongs to another store"), e.getMessage());
    assertEquals(files, blobDigests());
    assertFalse(Files.exists(dir.resolve("quarantine")));
  }

  @Test
  void aCorruptWalIsRefusedAndWithAcceptedLossItsWritesBlobsAreQuarantinedNotDeleted() throws Exception {
    Path crashed = crashImageAfterWrites(12);
    Path wal = lastWal(crashed);
    byte[] log = Files.readAllBytes(wal);
    for (int i = 0; i < 8; i++) {
      log[log.length / 2 + i] ^= (byte) 0xA5;
    }
    Files.write(wal, log);
    Map<String, String> files = blobDigests(crashed);
    assertEquals(12, files.size());

    StorageException e = assertThrows(StorageException.class,
        () -> TarnStore.open(new StorageOptions(crashed, THRESHOLD, false), sink, clock));
    assertTrue(e.getMessage().contains("has a corrupt write-ahead log record"), e.getMessage());
    assertTrue(e.getMessage().contains("`tarn server --accept-wal-loss`"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertEquals(files, blobDigests(crashed), "nothing deleted or moved");
    assertArrayEquals(log, Files.readAllBytes(wal), "the WAL is left as it was");

    store.close();
    store = TarnStore.open(new StorageOptions(crashed, THRESHOLD, false).withAcceptWalLoss(true), sink, clock);
    int readable = 0;
    for (int i = 0; i < 12; i++) {
      if (store.head("bkt", "k" + i).isPresent()) {
        assertArrayEquals(bytes(5000 + i, i), read("bkt", "k" + i));
        readable++;
      }
    }
    assertTrue(readable < 12, "the damage dropped some writes");
    Map<String, String> after = new TreeMap<>(blobDigests(crashed));
    Map<String, String> quarantined = digestsIn(crashed.resolve("quarantine"));
    assertEquals(12 - readable, quarantined.size(), "the lost writes' blobs are quarantined");
    after.putAll(quarantined);
    assertEquals(files, after, "every blob file is still there, in blobs/ or quarantine/");
  }

  @Test
  void aWalEndingInAnIncompleteRecordOpensWithoutIt() throws Exception {
    Path crashed = crashImageAfterWrites(3);
    Path wal = lastWal(crashed);
    byte[] log = Files.readAllBytes(wal);
    // What a crash during the last (never acknowledged) write leaves: its record cut short.
    Files.write(wal, java.util.Arrays.copyOf(log, log.length - 3));

    store.close();
    store = TarnStore.open(new StorageOptions(crashed, THRESHOLD, false), sink, clock);
    assertArrayEquals(bytes(5000, 0), read("bkt", "k0"));
    assertArrayEquals(bytes(5001, 1), read("bkt", "k1"));
  }

  /**
   * Writes {@code n} blob objects into a bucket, then copies the data directory while the store is
   * still open: the copy is what a kill -9 leaves (the WAL as far as the OS has it).
   */
  private Path crashImageAfterWrites(int n) throws IOException {
    store.createBucket("bkt", "r", OWNER);
    for (int i = 0; i < n; i++) {
      put("bkt", "k" + i, bytes(5000 + i, i));
    }
    Path copy = crashes.resolve("data");
    copyTree(dir, copy);
    return copy;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, target);
        }
      }
    }
  }

  private static Path lastWal(Path dataDir) throws IOException {
    try (Stream<Path> logs = Files.list(dataDir.resolve("meta"))) {
      return logs.filter(p -> p.getFileName().toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
    }
  }

  private Path blobPath(String id) {
    return dir.resolve("blobs").resolve(id.substring(0, 2)).resolve(id);
  }

  private String blobWithRecord(byte state, byte[] content) throws IOException {
    String id = Ids.random128();
    Files.write(blobPath(id), content);
    putRecord(id, state);
    return id;
  }

  private String recordOnly(byte state) {
    String id = Ids.random128();
    putRecord(id, state);
    return id;
  }

  private void putRecord(String id, byte state) {
    try (MetaStore.Batch b = store.meta().batch()) {
      b.put(ColumnFamily.BLOBREFS, Hex.decode(id), new byte[] {state});
      store.meta().commit(b, "test record");
    }
  }

  private Map<String, Byte> records() {
    Map<String, Byte> out = new TreeMap<>();
    store.meta().scan(ColumnFamily.BLOBREFS, new byte[0], (k, v) -> out.put(Hex.encode(k), v[0]));
    return out;
  }

  private Map<String, String> blobDigests() throws IOException {
    return blobDigests(dir);
  }

  private static Map<String, String> blobDigests(Path dataDir) throws IOException {
    return digestsIn(dataDir.resolve("blobs"));
  }

  /** File name to SHA-256 of its bytes, for every regular file under {@code root}. */
  private static Map<String, String> digestsIn(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        try {
          out.put(p.getFileName().toString(), Hex.encode(java.security.MessageDigest.getInstance("SHA-256")
              .digest(Files.readAllBytes(p))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
