package io.tarn.storage.blobs;

import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.core.checksum.Digest;
import io.tarn.storage.DataMode;
import io.tarn.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Blob files: {@code <data>/blobs/ab/<32-hex-id>} and in-flight bodies in {@code <data>/tmp/}. Names
 * are random ids ({@link Ids#random128()}), never derived from keys, so nothing a client sends can
 * name a path. Each blob file is its data followed by a {@link BlobTrailer} (block checksums and a
 * description), appended when the file is installed. A file becomes live only when a committed
 * metadata batch holds its blobref. Every file is announced to the {@link Ledger} before it enters
 * {@code blobs/}, and its record is removed once it is deleted, so that the start-up sweep can tell a
 * file that was never committed from one whose metadata was lost: only the first may be deleted, the
 * other is quarantined.
 */
public final class BlobStore {
  private static final System.Logger LOG = System.getLogger(BlobStore.class.getName());
  /** Where the start-up sweep moves blob files no metadata accounts for (never deleted). */
  public static final String QUARANTINE = "quarantine";

  /**
   * The life-cycle records of blob files, kept in the metadata store. {@link #intend} is called before
   * a file is installed into {@code blobs/}, {@link #forget} after files are deleted.
   */
  public interface Ledger {
    /**
     * Records that blob {@code id} is about to be installed and is not committed yet. It need not be
     * synced: the synced commit that makes the blob live makes it durable too. Throws if it cannot be
     * recorded, and then the file is not installed.
     */
    void intend(String id);

    /** Removes the records of blob files just deleted. Best effort: never throws. */
    void forget(Collection<String> ids);
  }

  /** An empty description: what the blobs of builds before descriptions have (tests write them too). */
  public static final byte[] NO_DESCRIPTION = new byte[0];

  private final Path blobs;
  private final Path tmp;
  private final Path quarantine;
  private final boolean fsync;
  private final Ledger ledger;
  /** Temp files are created with the file mode, so blob files (renamed temp files) have it too. */
  private final FileAttribute<?>[] fileMode;
  private final FileAttribute<?>[] dirMode;
  private final DeletionHolds holds = new DeletionHolds(this::deleteNow);
  /** Told how long each blob file's fsync took, in nanoseconds (metrics); a no-op by default. */
  private volatile LongConsumer syncTimer = nanos -> {};

  private BlobStore(Path dataDir, boolean fsync, Ledger ledger, FileAttribute<?>[] fileMode,
      FileAttribute<?>[] dirMode) {
    this.blobs = dataDir.resolve("blobs");
    this.tmp = dataDir.resolve("tmp");
    this.quarantine = dataDir.resolve(QUARANTINE);
    this.fsync = fsync;
    this.ledger = ledger;
    this.fileMode = fileMode;
    this.dirMode = dirMode;
  }

  /**
   * Creates {@code blobs/}, its 256 fan-out directories and {@code tmp/}, durably, with the directory
   * mode of {@code mode}; gives {@code blobs/} and {@code tmp/} that mode if they have another (the
   * fan-out directories are behind {@code blobs/}). Blob and temp files get its file mode. Files are
   * announced to {@code ledger} before they are installed.
   */
  public static BlobStore open(Path dataDir, boolean fsync, DataMode mode, Ledger ledger) {
    Path blobs = dataDir.resolve("blobs");
    Path tmp = dataDir.resolve("tmp");
    FileAttribute<?>[] dirMode = mode.directoryAttributes(blobs);
    BlobStore store = new BlobStore(dataDir, fsync, ledger, mode.fileAttributes(tmp), dirMode);
    try {
      mode.prepareDirectory(tmp);
      mode.prepareDirectory(blobs);
      for (int i = 0; i < 256; i++) {
        Path fan = blobs.resolve(Hex.encode(new byte[] {(byte) i}));
        if (!Files.isDirectory(fan)) {
          Files.createDirectory(fan, dirMode);
          store.syncDir(fan);
        }
      }
      store.syncDir(blobs);
      store.syncDir(tmp);
      store.syncDir(dataDir);
    } catch (IOException e) {
      throw io("prepare data directory " + dataDir, e);
    }
    return store;
  }

  /**
   * The blob files of a data directory as they are, for the offline tools (fsck, rebuild-index) that
   * read them: creates, re-modes and syncs nothing, and records nothing (they install no file).
   */
  public static BlobStore existing(Path dataDir) {
    Path tmp = dataDir.resolve("tmp");
    return new BlobStore(dataDir, false, READ_ONLY, DataMode.PRIVATE.fileAttributes(tmp),
        DataMode.PRIVATE.directoryAttributes(dataDir.resolve("blobs")));
  }

  /** The ledger of {@link #existing}: installing through it is a programming error. */
  private static final Ledger READ_ONLY = new Ledger() {
    @Override
    public void intend(String id) {
      throw new IllegalStateException("a blob store opened for reading installs no blob");
    }

    @Override
    public void forget(Collection<String> ids) {}
  };

  /** A failed file operation; the disk running out (ENOSPC, EDQUOT) is STORAGE_FULL, not an internal error. */
  static StorageException io(String what, IOException e) {
    return new StorageException(DiskSpace.isNoSpace(e) ? StorageException.Kind.STORAGE_FULL : StorageException.Kind.IO,
        "blob store: " + what + " failed: " + e, e);
  }

  Path path(String id) {
    return blobs.resolve(id.substring(0, 2)).resolve(id);
  }

  /** A new temp file, open for writing; its name is a fresh blob id. */
  TempFile newTemp() {
    String id = Ids.random128();
    Path p = tmp.resolve(id);
    try {
      return new TempFile(id, p, FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileMode),
          new BlockChecksums());
    } catch (IOException e) {
      throw io("create temp file", e);
    }
  }

  /**
   * A temp file being written: its future blob id, path and channel, and the checksums of the data
   * written so far (whoever writes the data updates them).
   */
  record TempFile(String id, Path path, FileChannel channel, BlockChecksums sums) {
    /** Writes all of {@code src} at the end of the data, updating the checksums. */
    void write(ByteBuffer src) throws IOException {
      sums.update(src);
      while (src.hasRemaining()) {
        channel.write(src);
      }
    }
  }

  /**
   * Makes a finished temp file a blob file (DESIGN.md write path step 3): append its trailer (block
   * checksums and {@code description}), fsync the file, record its intent, move it atomically into its
   * fan-out directory, fsync that directory. It is still garbage until a commit makes its blobref
   * live. Closes the channel; on failure deletes the temp file.
   */
  public String install(TempFile t, byte[] description) {
    try {
      long dataLength = t.sums().length();
      ByteBuffer trailer = BlobTrailer.encode(dataLength, BlockChecksums.BLOCK_SIZE, t.sums().finish(), description);
      long at = dataLength;
      while (trailer.hasRemaining()) {
        at += t.channel().write(trailer, at);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(t.channel());
      deleteQuietly(t.path());
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw io("write the trailer of " + t.path(), (IOException) e);
    }
    return move(t);
  }

  /**
   * Tells {@code timer} how long each blob file's fsync takes, in nanoseconds, on the writing thread
   * (it must be quick and must not block). Storage stays free of any metrics library: the server
   * turns these into a histogram.
   */
  public void onSync(LongConsumer timer) {
    syncTimer = java.util.Objects.requireNonNull(timer, "timer");
  }

  /** fsync a complete temp file, move it into its fan-out directory, fsync that; closes the channel. */
  private String move(TempFile t) {
    try (FileChannel ch = t.channel()) {
      if (fsync) {
        long start = System.nanoTime();
        ch.force(true);
        syncTimer.accept(System.nanoTime() - start);
      }
      ledger.intend(t.id());
    } catch (IOException e) {
      deleteQuietly(t.path());
      throw io("fsync " + t.path(), e);
    } catch (RuntimeException e) {
      deleteQuietly(t.path());
      throw e;
    }
    Path target = path(t.id());
    try {
      Files.move(t.path(), target, StandardCopyOption.ATOMIC_MOVE);
      syncDir(target.getParent());
    } catch (IOException e) {
      deleteQuietly(t.path());
      deleteAll(List.of(t.id()));
      throw io("move " + t.path() + " into place", e);
    }
    return t.id();
  }

  /** Writes in-memory bytes to a new blob file (a small multipart part: parts are always files). */
  public String writeBlob(byte[] data, int offset, int length, byte[] description) {
    return writeBlob(data, offset, length, id -> description);
  }

  /**
   * Writes in-memory bytes to a new blob file described by {@code describe}, which is given the new
   * file's blob id (a description names its own file).
   */
  public String writeBlob(byte[] data, int offset, int length, Function<String, byte[]> describe) {
    TempFile t = newTemp();
    try {
      t.write(ByteBuffer.wrap(data, offset, length));
    } catch (IOException e) {
      closeQuietly(t.channel());
      deleteQuietly(t.path());
      throw io("write " + t.path(), e);
    }
    byte[] description;
    try {
      description = describe.apply(t.id());
    } catch (RuntimeException e) {
      closeQuietly(t.channel());
      deleteQuietly(t.path());
      throw e;
    }
    return install(t, description);
  }

  /**
   * Gives the bytes of blobs {@code sourceIds} new ids, by hard link (no byte copy), or by a copy where
   * the file system has no hard links; each touched fan-out directory is synced once. The new files
   * are not yet live. On failure, the files already made are deleted.
   *
   * @return the new ids, in the order of {@code sourceIds}
   * @throws NoSuchFileException if a source is gone (a concurrent overwrite removed it)
   */
  public List<String> link(List<String> sourceIds) throws NoSuchFileException {
    // Every id announced to the ledger: on failure their files (if made) and records are removed.
    List<String> made = new ArrayList<>(sourceIds.size());
    Set<Path> dirs = new LinkedHashSet<>();
    boolean ok = false;
    try {
      for (String source : sourceIds) {
        String id = Ids.random128();
        Path target = path(id);
        ledger.intend(id);
        made.add(id);
        try {
          Files.createLink(target, path(source));
          dirs.add(target.getParent());
        } catch (NoSuchFileException e) {
          throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
          LOG.log(System.Logger.Level.DEBUG, "hard link unavailable, copying blob " + source + ": " + e);
          made.remove(made.size() - 1);
          ledger.forget(List.of(id));
          made.add(copy(source));
        }
      }
      for (Path dir : dirs) {
        syncDir(dir);
      }
      ok = true;
      return made;
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw io("link blobs", e);
    } finally {
      if (!ok) {
        deleteAll(made);
      }
    }
  }

  /** A byte copy of a whole blob file, trailer included (what a hard link would share). */
  private String copy(String sourceId) throws NoSuchFileException {
    TempFile t = newTemp();
    try (FileChannel in = FileChannel.open(path(sourceId), StandardOpenOption.READ)) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        done += in.transferTo(done, size - done, t.channel());
      }
    } catch (NoSuchFileException e) {
      closeQuietly(t.channel());
      deleteQuietly(t.path());
      throw e;
    } catch (IOException e) {
      closeQuietly(t.channel());
      deleteQuietly(t.path());
      throw io("copy blob " + sourceId, e);
    }
    return move(t);
  }

  /** @throws NoSuchFileException if the blob is gone (a concurrent overwrite removed it) */
  public FileChannel openRead(String id) throws NoSuchFileException {
    try {
      return FileChannel.open(path(id), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw io("open blob " + id, e);
    }
  }

  /**
   * The digest of the concatenated bytes of blobs {@code ids}, each block verified first: a checksum
   * computed for a copy must never vouch for damaged bytes.
   *
   * @throws StorageException CORRUPT if a blob fails verification
   */
  public byte[] digest(List<String> ids, ChecksumAlgorithm algorithm) {
    Digest d = algorithm.newDigest();
    for (String id : ids) {
      try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ)) {
        BlobTrailer t = BlobTrailer.read(ch, id);
        ByteBuffer buf = ByteBuffer.allocate(t.blockSize());
        for (long i = 0; i < t.blocks(); i++) {
          long at = i * t.blockSize();
          buf.clear().limit((int) Math.min(t.blockSize(), t.dataLength() - at));
          BlobTrailer.readFully(ch, buf, at);
          if (!t.blockMatches(i, buf.flip())) {
            throw BlobTrailer.corrupt(id, "block " + i + " does not match its checksum");
          }
          d.update(buf);
        }
      } catch (IOException e) {
        throw io("read blob " + id, e);
      }
    }
    return d.finish();
  }

  /**
   * The trailer of blob {@code id}, checked.
   *
   * @throws NoSuchFileException if the blob is gone
   * @throws StorageException CORRUPT if its trailer is missing or damaged
   */
  public BlobTrailer trailer(String id) throws NoSuchFileException {
    try (FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ)) {
      return BlobTrailer.read(ch, id);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      throw io("read the trailer of blob " + id, e);
    }
  }

  /**
   * Deletes blob files whose blobrefs a committed batch released (or that never committed), syncs
   * their directories, then removes their ledger records. Failures are logged, not thrown: the mutation is already committed, and a
   * file left behind keeps its record (released or intent), so the start-up sweep deletes it.
   */
  public void deleteAll(Collection<String> ids) {
    if (!holds.deferIfHeld(ids)) {
      deleteNow(ids);
    }
  }

  private void deleteNow(Collection<String> ids) {
    List<String> deleted = new ArrayList<>(ids.size());
    Set<Path> dirs = new LinkedHashSet<>();
    for (String id : ids) {
      try {
        Path p = path(id);
        if (Files.deleteIfExists(p)) {
          dirs.add(p.getParent());
        }
        deleted.add(id);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not delete blob " + id + " (left for the sweep): " + e);
      }
    }
    // The removals must be durable before the records go: a power loss that loses an unsynced unlink
    // brings the file back, and without its (released) record the sweep could only quarantine it. If
    // a directory cannot be synced, the records stay and the next start-up sweep deletes the files.
    for (Path dir : dirs) {
      try {
        syncDir(dir);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not sync " + dir + " after deleting blobs (left for the sweep): " + e);
        return;
      }
    }
    if (!deleted.isEmpty()) {
      ledger.forget(deleted);
    }
  }

  public void delete(String id) {
    deleteAll(List.of(id));
  }

  /**
   * Holds every blob file deletion from now until the returned hold is closed, for a backup: see
   * {@link DeletionHolds}.
   *
   * @param releasedSweep deletes every released file; called when a hold whose ids overflowed ends
   */
  public DeletionHolds.Hold holdDeletions(Runnable releasedSweep) {
    return holds.hold(releasedSweep);
  }

  /** Where blob {@code id}'s file is, for a backup to link or copy it. */
  public Path file(String id) {
    return path(id);
  }

  /** Deletes everything in {@code tmp/}: bodies in flight when the process stopped. */
  public int cleanTemp() {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
      for (Path p : files) {
        if (Files.isDirectory(p)) {
          // Never made by this store; deleting a tree on a guess is not start-up's job.
          LOG.log(System.Logger.Level.WARNING, "leaving unexpected directory " + p);
          continue;
        }
        Files.deleteIfExists(p);
        n++;
      }
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "blob store: clean " + tmp + " failed: " + e, e);
    }
    return n;
  }

  /**
   * The blob ids in fan-out directory {@code fan} (0..255), sorted (hex order is byte order), and how
   * many other entries it holds: files whose names are not blob ids of this directory were not made
   * by this store and are left alone (foreign).
   */
  public record FanListing(List<String> ids, int foreign) {}

  public FanListing listFan(int fan) {
    String fanName = Hex.encode(new byte[] {(byte) fan});
    Path dir = blobs.resolve(fanName);
    List<String> ids = new ArrayList<>();
    int foreign = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (isBlobId(name) && name.startsWith(fanName) && Files.isRegularFile(f)) {
          ids.add(name);
        } else {
          foreign++;
        }
      }
    } catch (NoSuchFileException e) {
      return new FanListing(List.of(), 0);
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "blob store: list " + dir + " failed: " + e, e);
    }
    java.util.Collections.sort(ids);
    return new FanListing(ids, foreign);
  }

  /** Entries of {@code blobs/} that are not fan-out directories (left alone, counted as foreign). */
  public int foreignTopLevel() {
    int n = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(blobs)) {
      for (Path p : entries) {
        if (!Files.isDirectory(p) || !Hex.isHex(p.getFileName().toString(), 2)) {
          n++;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "blob store: list " + blobs + " failed: " + e, e);
    }
    return n;
  }

  /**
   * Deletes blob files the start-up sweep proved garbage, durably (their directories synced before
   * the caller removes their records: a record without a file is harmless, a file without one is
   * quarantined at the next start).
   */
  public void sweepDelete(Collection<String> ids) {
    Set<Path> touched = new LinkedHashSet<>();
    try {
      for (String id : ids) {
        Files.deleteIfExists(path(id));
        touched.add(path(id).getParent());
      }
      for (Path dir : touched) {
        syncDir(dir);
      }
    } catch (IOException e) {
      throw io("delete swept blobs", e);
    }
  }

  /**
   * Moves blob files into {@code <data>/quarantine/}, under their ids (a name taken there gets a
   * numbered suffix), durably: the quarantine directory is synced before the fan-out directories, so
   * a crash leaves each file in one place or the other, never in neither.
   *
   * @return the quarantine directory
   */
  public Path quarantine(Collection<String> ids) {
    if (ids.isEmpty()) {
      return quarantine;
    }
    Set<Path> touched = new LinkedHashSet<>();
    try {
      if (!Files.isDirectory(quarantine)) {
        Files.createDirectory(quarantine, dirMode);
        syncDir(quarantine.getParent());
      }
      for (String id : ids) {
        Path target = quarantine.resolve(id);
        for (int n = 1; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
          target = quarantine.resolve(id + "." + n);
        }
        Files.move(path(id), target, StandardCopyOption.ATOMIC_MOVE);
        touched.add(path(id).getParent());
      }
      syncDir(quarantine);
      for (Path dir : touched) {
        syncDir(dir);
      }
    } catch (IOException e) {
      throw io("move unaccounted blobs into " + quarantine, e);
    }
    return quarantine;
  }

  /** How many blob files {@code <dataDir>/blobs} holds, counting up to {@code stopAt}; 0 if it does not exist. */
  public static long countBlobFiles(Path dataDir, long stopAt) {
    Path blobs = dataDir.resolve("blobs");
    long n = 0;
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    try (DirectoryStream<Path> fans = Files.newDirectoryStream(blobs)) {
      for (Path fan : fans) {
        if (!Files.isDirectory(fan) || !Hex.isHex(fan.getFileName().toString(), 2)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
          for (Path f : files) {
            if (isBlobId(f.getFileName().toString()) && ++n >= stopAt) {
              return n;
            }
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "blob store: list " + blobs + " failed: " + e, e);
    }
    return n;
  }

  /**
   * Calls {@code f} with the id of every blob file, in no particular order; changes nothing (for fsck
   * and rebuild-index, which run while the server is stopped). Files whose names are not blob ids
   * are skipped.
   */
  public void forEachBlob(Consumer<String> f) {
    if (!Files.isDirectory(blobs)) {
      return;
    }
    try (DirectoryStream<Path> fans = Files.newDirectoryStream(blobs)) {
      for (Path fan : fans) {
        String fanName = fan.getFileName().toString();
        if (!Files.isDirectory(fan) || !Hex.isHex(fanName, 2)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
          for (Path file : files) {
            String name = file.getFileName().toString();
            if (isBlobId(name) && name.startsWith(fanName)) {
              f.accept(name);
            }
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "blob store: list " + blobs + " failed: " + e, e);
    }
  }

  private static boolean isBlobId(String name) {
    if (name.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Makes a directory's entries durable (a created, moved or linked name survives a crash). */
  void syncDir(Path dir) throws IOException {
    if (!fsync) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not delete " + p + ": " + e);
    }
  }

  public static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "close failed: " + e);
    }
  }
}
