package io.tarn.storage.objects;

import io.tarn.storage.BackupReport;
import io.tarn.storage.DataMode;
import io.tarn.storage.StorageException;
import io.tarn.storage.blobs.BlobStore;
import io.tarn.storage.blobs.DiskSpace;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory a backup goes into, and the file work of making it: the checks that refuse a
 * directory, the blob files hard-linked or copied into its {@code blobs/}, the data directory's own
 * files copied, everything synced.
 */
final class BackupTarget {
  private static final System.Logger LOG = System.getLogger(BackupTarget.class.getName());
  /** Top-level entries of a data directory that are not copied: its index and blobs go their own ways. */
  private static final Set<String> NOT_COPIED = Set.of("meta", "blobs", "tmp", BlobStore.QUARANTINE,
      DiskSpace.RESERVE_FILE, DiskSpace.RESERVE_FILE + ".part", BackupReport.MARKER,
      io.tarn.storage.DataDirectoryLock.FILE); // the running server's lock and pid, not the backup's

  private final Path dataDir;
  private final Path dir;
  private final DataMode mode;
  private final boolean fsync;
  private boolean link;
  private boolean linked;
  private long missing;

  private BackupTarget(Path dataDir, Path dir, DataMode mode, boolean fsync, boolean link) {
    this.dataDir = dataDir;
    this.dir = dir;
    this.mode = mode;
    this.fsync = fsync;
    this.link = link;
  }

  /**
   * Refuses a directory a backup cannot go into, creating nothing.
   *
   * @throws StorageException INVALID_ARGUMENT naming the problem
   */
  static void check(Path dataDir, Path dir) {
    if (!dir.isAbsolute()) {
      // Relative to what? The server's working directory is not the caller's.
      throw invalid("the backup directory must be an absolute path on the server's machine, not \"" + dir + "\"");
    }
    Path target = dir.normalize();
    Path data;
    try {
      data = dataDir.toRealPath();
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot resolve the data directory " + dataDir + ": " + e, e);
    }
    if (real(target).startsWith(data)) {
      throw invalid("the backup directory " + dir + " is inside the data directory " + data + ": it would be"
          + " backed up into itself and lost with the data; choose a directory outside it");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(target)) {
      if (!Files.isDirectory(target)) {
        throw invalid("the backup directory " + dir + " exists and is not a directory");
      }
      try (Stream<Path> entries = Files.list(target)) {
        if (entries.findAny().isPresent()) {
          throw invalid("the backup directory " + dir + " is not empty: a backup goes into a new or empty directory");
        }
      } catch (IOException e) {
        throw invalid("the backup directory " + dir + " cannot be read: " + e.getMessage());
      }
    } else if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
      throw invalid("the parent directory of the backup directory " + dir + " does not exist on the server");
    }
  }

  /** {@code p} with its deepest existing ancestor resolved to its real path (symbolic links followed). */
  private static Path real(Path p) {
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(p));
    } catch (IOException e) {
      return p;
    }
  }

  private static StorageException invalid(String message) {
    return new StorageException(StorageException.Kind.INVALID_ARGUMENT, message);
  }

  /**
   * Checks {@code dir} again (things change) and creates it, private.
   *
   * @param link whether to try hard links for blob files
   */
  static BackupTarget create(Path dataDir, Path dir, DataMode mode, boolean fsync, boolean link) {
    check(dataDir, dir);
    Path target = dir.normalize();
    try {
      mode.prepareDirectory(target);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot create the backup directory " + dir + ": " + e, e);
    }
    return new BackupTarget(dataDir, target, mode, fsync, link);
  }

  Path dir() {
    return dir;
  }

  Path meta() {
    return dir.resolve("meta");
  }

  /** Whether blob files were hard-linked (false: copied, or none yet). */
  boolean linked() {
    return linked;
  }

  /** Blob files of the checkpoint that the data directory did not have (a damaged store). */
  long missing() {
    return missing;
  }

  /** Creates {@code blobs/} and its 256 fan-out directories, as a store's. */
  void prepareBlobs() {
    try {
      mode.prepareDirectory(dir.resolve("blobs"));
      for (int i = 0; i < 256; i++) {
        Files.createDirectory(fan(i), mode.directoryAttributes(dir.resolve("blobs")));
      }
    } catch (IOException e) {
      throw io("create " + dir.resolve("blobs"), e);
    }
  }

  private Path fan(int i) {
    return dir.resolve("blobs").resolve(String.format("%02x", i));
  }

  /**
   * Hard-links (or copies, where a link cannot be made: another file system) blob file {@code source}
   * into the backup as {@code id}.
   *
   * @return the file's size, 0 if the source is missing (counted in {@link #missing})
   */
  long export(String id, Path source) {
    Path target = fan(Integer.parseInt(id.substring(0, 2), 16)).resolve(id);
    try {
      if (link) {
        try {
          Files.createLink(target, source);
          linked = true;
          return Files.size(target);
        } catch (NoSuchFileException e) {
          missing++;
          return 0;
        } catch (UnsupportedOperationException | FileSystemException e) {
          if (e instanceof FileAlreadyExistsException) {
            throw (FileAlreadyExistsException) e;
          }
          // EXDEV (another file system) or no hard links there: copy this one and every other.
          LOG.log(System.Logger.Level.INFO, "cannot hard-link blob files into " + dir + " (" + e
              + "): copying them");
          link = false;
        }
      }
      return copy(source, target);
    } catch (NoSuchFileException e) {
      missing++;
      return 0;
    } catch (IOException e) {
      throw io("copy blob " + id + " into the backup", e);
    }
  }

  private long copy(Path source, Path target) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            mode.fileAttributes(target.getParent()))) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        done += in.transferTo(done, size - done, out);
      }
      if (fsync) {
        out.force(true);
      }
      return size;
    }
  }

  /**
   * Copies the data directory's other top-level files (master key, root credentials, store stamp,
   * identity mirror, format files...) and the directories named in {@code directories} (e.g. the
   * server's {@code tls/}), keeping their modes; secrets stay 0600.
   *
   * @return their names, relative to the data directory
   */
  List<String> copyFiles(List<String> directories) {
    List<String> copied = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !NOT_COPIED.contains(name) && !name.endsWith(".tmp")) {
          copyFile(p, dir.resolve(name));
          copied.add(name);
        }
      }
      for (String d : directories) {
        Path from = dataDir.resolve(d);
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
          copyTree(from, dir.resolve(d), d, copied);
        }
      }
    } catch (IOException e) {
      throw io("copy the data directory's files", e);
    }
    return copied;
  }

  private void copyTree(Path from, Path to, String name, List<String> copied) throws IOException {
    Files.createDirectory(to, mode.directoryAttributes(to.getParent()));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
      for (Path p : entries) {
        String child = name + "/" + p.getFileName();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          copyTree(p, to.resolve(p.getFileName().toString()), child, copied);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          copyFile(p, to.resolve(p.getFileName().toString()));
          copied.add(child);
        }
      }
    }
    syncDir(to);
  }

  /** A copy with the source's mode from its creation on (a secret is never readable by others). */
  private void copyFile(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    if (fsync) {
      try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }

  /** Makes the backup's directory entries durable: the fan-out directories, {@code blobs/}, itself. */
  void sync() {
    try {
      for (int i = 0; i < 256; i++) {
        syncDir(fan(i));
      }
      syncDir(dir.resolve("blobs"));
      syncDir(meta());
      syncDir(dir);
    } catch (IOException e) {
      throw io("sync " + dir, e);
    }
  }

  /** Writes {@link BackupReport#MARKER}: the backup is complete and verified. */
  void mark(String text) {
    try {
      DataMode.writeSecretFile(dir.resolve(BackupReport.MARKER), text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          false, fsync);
    } catch (IOException e) {
      throw io("write " + dir.resolve(BackupReport.MARKER), e);
    }
  }

  /** Bytes of the regular files under {@code p}. */
  static long size(Path p) {
    try (Stream<Path> files = Files.walk(p)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private void syncDir(Path d) throws IOException {
    if (!fsync) {
      return;
    }
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private StorageException io(String what, IOException e) {
    return new StorageException(DiskSpace.isNoSpace(e) ? StorageException.Kind.STORAGE_FULL : StorageException.Kind.IO,
        "backup into " + dir + ": " + what + " failed: " + e, e);
  }
}
