package io.tarn.server;

import io.tarn.core.AccessKey;
import io.tarn.core.Hex;
import io.tarn.core.Ids;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The root user's credentials: from {@code TARN_ROOT_ACCESS_KEY} / {@code TARN_ROOT_SECRET_KEY}, or
 * generated at first start and kept in {@code <data>/root-credentials} (mode 0600). The root user's
 * canonical id is kept there too, so object owners stay stable when the keys come from the
 * environment.
 *
 * <p>Generated credentials are printed until a start has shown them and reached its ready line:
 * {@code shown=false} is written with them, {@code shown=true} by {@link #markShown} after the ready
 * line. A start that generated them and then failed (port in use, say) shows them at the next start,
 * and a successful showing is the last. A file without {@code shown} was written by an earlier version,
 * which printed the secret at its first start: it is not printed again.
 */
final class RootCredentials {
  static final String FILE = "root-credentials";

  private static final String SHOWN = "shown";

  /**
   * @param key the root access key
   * @param unshown whether the secret was generated (by this start or an earlier one that failed) and no
   *     start has shown it yet: print it, then {@link #markShown}
   * @param fromEnvironment whether the keys come from TARN_ROOT_ACCESS_KEY / TARN_ROOT_SECRET_KEY
   * @param file where generated keys and the root user's id are kept
   */
  record Loaded(AccessKey key, boolean unshown, boolean fromEnvironment, Path file) {
    /** The one line every start prints about the root credentials: where they are. */
    String whereLine() {
      return fromEnvironment
          ? "Root credentials: from TARN_ROOT_ACCESS_KEY and TARN_ROOT_SECRET_KEY (access key " + key.accessKeyId()
              + "); the root user's id is kept in " + file
          : "Root credentials: in " + file + " (access key " + key.accessKeyId() + ")";
    }
  }

  private RootCredentials() {}

  static Loaded load(Path dataDir, String envAccessKey, String envSecretKey) throws IOException {
    Path file = dataDir.resolve(FILE);
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    }
    boolean changed = false;
    if (p.getProperty("userId") == null) {
      p.setProperty("userId", Hex.encode(Ids.randomBytes(32)));
      changed = true;
    }
    boolean fromEnv = envAccessKey != null && !envAccessKey.isBlank() && envSecretKey != null && !envSecretKey.isBlank();
    if (!fromEnv && p.getProperty("accessKey") == null) {
      p.setProperty("accessKey", "TARN" + Ids.requestId());
      p.setProperty("secretKey", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Ids.randomBytes(30)));
      p.setProperty(SHOWN, "false");
      changed = true;
    }
    boolean unshown = !fromEnv && "false".equals(p.getProperty(SHOWN));
    if (changed) {
      write(file, p);
    }
    String access = fromEnv ? envAccessKey : p.getProperty("accessKey");
    String secret = fromEnv ? envSecretKey : p.getProperty("secretKey");
    Principal root = new Principal(p.getProperty("userId"), "root", access, Role.ADMIN);
    return new Loaded(new AccessKey(access, secret, root), unshown, fromEnv, file);
  }

  /** Records that a start showed the generated credentials and reached its ready line: never shown again. */
  static void markShown(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    p.setProperty(SHOWN, "true");
    write(file, p);
  }

  private static void write(Path file, Properties p) throws IOException {
    Path tmp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "Tarn root credentials: keep this file private");
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
