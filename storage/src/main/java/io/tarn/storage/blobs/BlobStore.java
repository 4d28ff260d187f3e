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
import java.util.function.Predicate;

/**
 * Blob files: {@code <data>/blobs/ab/<32-hex-id>} and in-flight bodies in {@code <data>/tmp/}. Names
 * are random ids ({@link Ids#random128()}), never derived from keys, so nothing a client sends can
 * name a path. Each blob file is its data followed by a {@link BlobTrailer} (block checksums and a
 * description), appended when the file is installed. A file becomes live only when a committed metadata batch holds its blobref; until
 * then (and after its blobref is removed) it is garbage that {@link #sweep} may delete.
 */
public final class BlobStore {
  private static final System.Logger LOG = System.getLogger(BlobStore.class.getName());

  /** An empty description, until writers describe their blobs (the description's own format comes next). */
  public static final byte[] NO_DESCRIPTION = new byte[0];

  private final Path blobs;
  private final Path tmp;
  private final boolean fsync;
  /** Temp files are created with the file mode, so blob files (renamed temp files) have it too. */
  private final FileAttribute<?>[] fileMode;

  private BlobStore(Path blobs, Path tmp, boolean fsync, FileAttribute<?>[] fileMode) {
    this.blobs = blobs;
    this.tmp = tmp;
    this.fsync = fsync;
    this.fileMode = fileMode;
  }

  /** {@link #open(Path, boolean, DataMode)} with private modes. */
  public static BlobStore open(Path dataDir, boolean fsync) {
    return open(dataDir, fsync, DataMode.PRIVATE);
  }

  /**
   * Creates {@code blobs/}, its 256 fan-out directories and {@code tmp/}, durably, with the directory
   * mode of {@code mode}; gives {@code blobs/} and {@code tmp/} that mode if they have another (the
   * fan-out directories are behind {@code blobs/}). Blob and temp files get its file mode.
   */
  public static BlobStore open(Path dataDir, boolean fsync, DataMode mode) {
    Path blobs = dataDir.resolve("blobs");
    Path tmp = dataDir.resolve("tmp");
    BlobStore store = new BlobStore(blobs, tmp, fsync, mode.fileAttributes(tmp));
    FileAttribute<?>[] dirMode = mode.directoryAttributes(blobs);
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

  static StorageException io(String what, IOException e) {
    return new StorageException(StorageException.Kind.IO, "blob store: " + what + " failed: " + e, e);
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
   * checksums and {@code description}), fsync the file, move it atomically into its fan-out
   * directory, fsync that directory. It is still garbage until a commit adds its blobref. Closes the
   * channel; on failure deletes the temp file.
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

  /** fsync a complete temp file, move it into its fan-out directory, fsync that; closes the channel. */
  private String move(TempFile t) {
    try (FileChannel ch = t.channel()) {
      if (fsync) {
        ch.force(true);
      }
    } catch (IOException e) {
      deleteQuietly(t.path());
      throw io("fsync " + t.path(), e);
    }
    Path target = path(t.id());
    try {
      Files.move(t.path(), target, StandardCopyOption.ATOMIC_MOVE);
      syncDir(target.getParent());
    } catch (IOException e) {
      deleteQuietly(t.path());
      deleteQuietly(target);
      throw io("move " + t.path() + " into place", e);
    }
    return t.id();
  }

  /** Writes in-memory bytes to a new blob file (a small multipart part: parts are always files). */
  public String writeBlob(byte[] data, int offset, int length, byte[] description) {
    TempFile t = newTemp();
    try {
      t.write(ByteBuffer.wrap(data, offset, length));
    } catch (IOException e) {
      closeQuietly(t.channel());
      deleteQuietly(t.path());
      throw io("write " + t.path(), e);
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
    List<String> made = new ArrayList<>(sourceIds.size());
    Set<Path> dirs = new LinkedHashSet<>();
    boolean ok = false;
    try {
      for (String source : sourceIds) {
        String id = Ids.random128();
        Path target = path(id);
        try {
          Files.createLink(target, path(source));
          dirs.add(target.getParent());
        } catch (NoSuchFileException e) {
          throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
          LOG.log(System.Logger.Level.DEBUG, "hard link unavailable, copying blob " + source + ": " + e);
          id = copy(source);
        }
        made.add(id);
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
   * Deletes blob files whose blobrefs a committed batch removed (or that never got one). Failures
   * are logged, not thrown: the mutation is already committed, and a file left behind is an orphan
   * the start-up sweep removes.
   */
  public void deleteAll(Collection<String> ids) {
    for (String id : ids) {
      try {
        Files.deleteIfExists(path(id));
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not delete blob " + id + " (left for the sweep): " + e);
      }
    }
  }

  public void delete(String id) {
    deleteAll(List.of(id));
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

  /** What the start-up sweep found. */
  public record SweepResult(long live, long deleted, long foreign) {}

  /**
   * Deletes blob files that are not live: orphans of a crash between a file's move and its commit,
   * or between a commit and the deletion of the file it replaced. Files whose names are not blob ids
   * were not made by this store and are left alone (counted as foreign).
   */
  public SweepResult sweep(Predicate<String> isLive) {
    long live = 0;
    long deleted = 0;
    long foreign = 0;
    Set<Path> touched = new LinkedHashSet<>();
    try (DirectoryStream<Path> fans = Files.newDirectoryStream(blobs)) {
      for (Path fan : fans) {
        String fanName = fan.getFileName().toString();
        if (!Files.isDirectory(fan) || !Hex.isHex(fanName, 2)) {
          foreign++;
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
          for (Path f : files) {
            String name = f.getFileName().toString();
            if (!isBlobId(name) || !name.startsWith(fanName)) {
              foreign++;
            } else if (isLive.test(name)) {
              live++;
            } else {
              Files.deleteIfExists(f);
              touched.add(fan);
              deleted++;
            }
          }
        }
      }
      for (Path fan : touched) {
        syncDir(fan);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException(StorageException.Kind.IO, "blob store: sweep " + blobs + " failed: " + e, e);
    }
    return new SweepResult(live, deleted, foreign);
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
