package io.tarn.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's profile file ({@code ~/.config/tarn/config}): INI-like {@code [name]} sections of
 * {@code key = value} lines; {@code #} and {@code ;} start comments. It holds secrets, so it is
 * always written with mode 0600 and atomically (a reader never sees half a file).
 */
public final class ProfileFile {
  public static final String FILE_NAME = "config";
  public static final String ENDPOINT = "endpoint";
  public static final String ACCESS_KEY = "access_key";
  public static final String SECRET_KEY = "secret_key";
  public static final String REGION = "region";
  public static final String CA_BUNDLE = "ca_bundle";
  /** Written in this order; other keys found in a section are kept after them. */
  private static final List<String> KEY_ORDER = List.of(ENDPOINT, ACCESS_KEY, SECRET_KEY, REGION, CA_BUNDLE);

  private ProfileFile() {}

  public static Path location(CliContext ctx) {
    return ctx.configDir().resolve(FILE_NAME);
  }

  /**
   * The profiles of {@code file} by name, in file order; empty when the file does not exist.
   *
   * @throws CliException naming the file and line when it cannot be read or parsed
   */
  public static Map<String, Map<String, String>> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new LinkedHashMap<>();
    } catch (IOException | UncheckedIOException e) {
      throw new CliException(Exit.ERROR, "cannot read the profile file " + file + ": " + e.getMessage());
    }
    return parse(file, lines);
  }

  static Map<String, Map<String, String>> parse(Path file, List<String> lines) {
    Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]") && line.length() > 2) {
        current = profiles.computeIfAbsent(line.substring(1, line.length() - 1).strip(),
            n -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || current == null) {
        throw new CliException(Exit.ERROR, file + ":" + (i + 1) + ": expected '[profile]' or 'key = value'"
            + (current == null && eq > 0 ? " inside a [profile] section" : ""));
      }
      current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    return profiles;
  }

  static String render(Map<String, Map<String, String>> profiles) {
    StringBuilder sb = new StringBuilder("# Tarn client profiles, written by 'tarn admin login'. Keep private.\n");
    profiles.forEach((name, values) -> {
      sb.append('\n').append('[').append(name).append("]\n");
      for (String key : KEY_ORDER) {
        if (values.get(key) != null) {
          sb.append(key).append(" = ").append(values.get(key)).append('\n');
        }
      }
      values.forEach((key, value) -> {
        if (!KEY_ORDER.contains(key) && value != null) {
          sb.append(key).append(" = ").append(value).append('\n');
        }
      });
    });
    return sb.toString();
  }

  /**
   * Replaces {@code file} with {@code profiles}: a temp file created 0600 from the start (never
   * briefly readable by others), written and fsynced, then moved over the old file atomically.
   * The directory is created 0700 if missing.
   */
  public static void write(Path file, Map<String, Map<String, String>> profiles) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      createPrivateDirectories(dir);
      Files.deleteIfExists(tmp);
      createPrivateFile(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(render(profiles).getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The write already failed; that error is the one to report.
      }
      throw new CliException(Exit.ERROR, "cannot write the profile file " + file + ": " + e);
    }
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createPrivateDirectories(dir.getParent());
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectory(dir); // not a POSIX file system (Windows): the user profile is private already
    } catch (FileAlreadyExistsException e) {
      // created concurrently: fine
    }
  }

  private static void createPrivateFile(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.copyOf(PosixFilePermissions.fromString("rw-------"))));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }
}
