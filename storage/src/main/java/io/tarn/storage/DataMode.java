package io.tarn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Who besides the server's user may read the data directory. The default, {@link #PRIVATE}, keeps
 * every object private to the user that runs the server: without it a 0755 directory of 0644 files
 * lets any local user read every stored object. Secrets ({@code master.key}, {@code root-credentials},
 * TLS keys) are 0600 whatever the mode.
 *
 * <p>Where the file system has no POSIX permissions (Windows), modes are not set and nothing fails:
 * such a system protects a user's files by its own ACLs.
 */
public enum DataMode {
  /** Directories 0700, files 0600. */
  PRIVATE("rwx------", "rw-------"),
  /** Directories 0750, files 0640: the server's group may read (a backup agent, for example). */
  GROUP("rwxr-x---", "rw-r-----");

  private static final System.Logger LOG = System.getLogger(DataMode.class.getName());
  /** For secrets, whatever the mode. */
  public static final Set<PosixFilePermission> SECRET_FILE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

  private final Set<PosixFilePermission> dir;
  private final Set<PosixFilePermission> file;

  DataMode(String dir, String file) {
    this.dir = Set.copyOf(PosixFilePermissions.fromString(dir));
    this.file = Set.copyOf(PosixFilePermissions.fromString(file));
  }

  /** Parses the option value, {@code private} or {@code group} (any case). */
  public static DataMode parse(String value) {
    for (DataMode m : values()) {
      if (m.name().equalsIgnoreCase(value.strip())) {
        return m;
      }
    }
    throw new IllegalArgumentException("--data-mode must be private or group, not '" + value + "'");
  }

  public Set<PosixFilePermission> directoryPermissions() {
    return dir;
  }

  public Set<PosixFilePermission> filePermissions() {
    return file;
  }

  /**
   * The attributes to create a file with ({@code Files.newByteChannel}, {@code Files.createFile}):
   * created with its mode, a file is never readable by others, not even briefly. Empty where the
   * file system has no POSIX permissions.
   */
  public FileAttribute<?>[] fileAttributes(Path where) {
    return attributes(where, file);
  }

  /** As {@link #fileAttributes}, for a directory. */
  public FileAttribute<?>[] directoryAttributes(Path where) {
    return attributes(where, dir);
  }

  /**
   * Creates {@code dir} (and missing parents, with the same mode) if it is missing, then gives it
   * this mode if it has another: a data directory made by an older version or by hand with 0755 is
   * tightened at start. Only the directory's mode changes; the files in it are neither rewritten nor
   * re-moded (behind a 0700 directory they cannot be reached by others, whatever their modes).
   *
   * @throws IOException if the directory cannot be created; a mode that cannot be set (another
   *     user's directory) is logged, not thrown: the server can still run
   */
  public void prepareDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null && !Files.exists(parent)) {
        prepareDirectory(parent);
      }
      try {
        Files.createDirectory(dir, attributes(dir.toAbsolutePath().getParent(), this.dir));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir)) {
          throw e; // a file: never re-mode it
        }
        // made concurrently: its mode is set below
      }
    }
    setMode(dir, this.dir);
  }

  /** Gives an existing file or directory {@code perms} where it has others (and the file system has modes). */
  static void setMode(Path path, Set<PosixFilePermission> perms) {
    try {
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
      if (!now.equals(perms)) {
        Files.setPosixFilePermissions(path, perms);
        LOG.log(System.Logger.Level.INFO, "set the mode of " + path + " from " + PosixFilePermissions.toString(now)
            + " to " + PosixFilePermissions.toString(perms));
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to set
    } catch (IOException | SecurityException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot set the mode of " + path + " to "
          + PosixFilePermissions.toString(perms) + ": " + e);
    }
  }

  /**
   * Writes {@code file} so that it never exists partial or readable by others: a temp file beside it,
   * created 0600, written and fsynced, renamed onto it atomically, then the directory fsynced (where
   * the platform can sync a directory; the rename is atomic either way). Without {@code replace} an
   * existing file fails the rename ({@link java.nio.file.FileAlreadyExistsException}): a file that must
   * never be overwritten (the master key) stays as it is. Without {@code sync} nothing is fsynced.
   */
  public static void writeSecretFile(Path file, byte[] content, boolean replace, boolean sync) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, attributes(file.getParent(), SECRET_FILE));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (sync) {
        ch.force(true);
      }
    }
    if (replace) {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    if (sync) {
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      } catch (IOException e) {
        // Some platforms cannot open or sync a directory; the rename itself is still atomic.
      }
    }
  }

  /** The attribute where {@code where}'s file system has POSIX permissions, else none. */
  static FileAttribute<?>[] attributes(Path where, Set<PosixFilePermission> perms) {
    if (where != null && where.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
    }
    return new FileAttribute<?>[0];
  }
}
