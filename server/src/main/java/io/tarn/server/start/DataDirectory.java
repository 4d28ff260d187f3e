package io.tarn.server.start;

import io.tarn.storage.DataMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where {@code tarn server} keeps its data when {@code --data} is not given, and the checks that turn a
 * data directory it cannot use into one line naming the path and what is missing.
 *
 * <p>The default used to be {@code ./data}: started from another directory, the server silently made a
 * new, empty store there. Now: {@code --data} or {@code $TARN_DATA}; else {@code ./data} only if it is
 * already a Tarn data directory (what earlier versions made, said in a line); else the user's data
 * directory of the XDG Base Directory specification, {@code $XDG_DATA_HOME/tarn}, by default
 * {@code ~/.local/share/tarn}. The service unit sets {@code TARN_DATA=/var/lib/tarn}.
 */
public final class DataDirectory {
  /** The name of the data directory earlier versions used by default, in the current directory. */
  static final String LEGACY = "data";

  /**
   * A resolved data directory.
   *
   * @param path absolute and normalised
   * @param given whether it was named ({@code --data} or {@code TARN_DATA}); a default's missing parents
   *     are created, a given one's are not
   * @param notes lines to print about how it was found (none when given)
   */
  public record Resolved(Path path, boolean given, List<String> notes) {}

  private DataDirectory() {}

  /**
   * Resolves the data directory.
   *
   * @param option {@code --data}, or {@code TARN_DATA} (picocli puts either in the option); null or
   *     empty if neither
   * @param env the environment ({@code XDG_DATA_HOME}, {@code HOME}; without {@code HOME} the JVM's
   *     {@code user.home})
   */
  public static Resolved resolve(Path option, Path cwd, Map<String, String> env) {
    if (option != null && !option.toString().isBlank()) {
      return new Resolved(cwd.resolve(option).normalize(), true, List.of());
    }
    List<String> notes = new ArrayList<>();
    Path legacy = cwd.resolve(LEGACY).normalize();
    if (Files.isDirectory(legacy)) {
      if (isTarnDataDirectory(legacy)) {
        notes.add("using ./" + LEGACY + " (found in the current directory): " + legacy);
        return new Resolved(legacy, true, notes);
      }
      notes.add("./" + LEGACY + " is not a Tarn data directory: not used");
    }
    // XDG Base Directory specification: "If $XDG_DATA_HOME is either not set or empty, a default equal to
    // $HOME/.local/share should be used"; a relative path in it is invalid and ignored.
    String xdg = env.get("XDG_DATA_HOME");
    String home = env.get("HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".local", "share");
    Path dir = base.resolve("tarn").toAbsolutePath().normalize();
    notes.add("data directory: " + dir + " (the default; choose another with --data or TARN_DATA)");
    return new Resolved(dir, false, notes);
  }

  /**
   * The line a start prints when {@code dir} holds no Tarn data yet, so that a relative {@code --data}
   * resolved from an unexpected directory, or a typo, shows as a new, empty store rather than silently
   * becoming one; empty when it holds a store.
   */
  public static java.util.Optional<String> newStoreNote(Path dir) {
    return isTarnDataDirectory(dir) ? java.util.Optional.empty()
        : java.util.Optional.of("new, empty store in " + dir + " (no Tarn data was there)");
  }

  /** Whether {@code dir} holds what a Tarn server writes at its first start. */
  static boolean isTarnDataDirectory(Path dir) {
    for (String marker : new String[] {"tarn-format", "store-stamp", "master.key", "root-credentials", "meta/CURRENT"}) {
      if (Files.exists(dir.resolve(marker))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Creates the data directory if needed (a default's missing parents too) and gives it its mode, or
   * fails with one line: not a directory, a missing parent of a given path (a typo or an unmounted disk
   * must not become a new, empty store), or the permission the server's user lacks.
   */
  public static void prepare(Resolved d, DataMode mode) throws StartupFailure {
    Path dir = d.path();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw fail("data directory " + dir + " is not a directory");
      }
      String missing = missing(dir);
      if (!missing.isEmpty()) {
        throw fail("data directory " + dir + ": user " + user() + " has no " + missing + " permission on it"
            + describe(dir));
      }
    } else {
      Path parent = dir.getParent();
      if (parent != null && !Files.exists(parent) && d.given()) {
        throw fail("data directory " + dir + " does not exist, nor does its parent " + parent
            + ": create it first (mkdir -p " + dir + ") or correct --data / TARN_DATA");
      }
      Path existing = parent;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing != null) {
        if (!Files.isDirectory(existing)) {
          throw fail("cannot create data directory " + dir + ": " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
          throw fail("cannot create data directory " + dir + ": user " + user() + " has no "
              + missing(existing) + " permission on " + existing + describe(existing));
        }
      }
    }
    try {
      mode.prepareDirectory(dir);
    } catch (IOException e) {
      throw new StartupFailure(Exit.DATA_DIRECTORY, "cannot create data directory " + dir + ": " + e, e);
    }
  }

  /** The permissions among read, write and execute (search) the server's user lacks on {@code dir}. */
  private static String missing(Path dir) {
    List<String> m = new ArrayList<>();
    if (!Files.isReadable(dir)) {
      m.add("read");
    }
    if (!Files.isWritable(dir)) {
      m.add("write");
    }
    if (!Files.isExecutable(dir)) {
      m.add("execute (search)");
    }
    return String.join(" or ", m);
  }

  /** " (mode rwxr-xr-x, owner root)", or nothing where that cannot be read. */
  private static String describe(Path p) {
    try {
      return " (mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + ", owner "
          + Files.getOwner(p).getName() + ")";
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  private static String user() {
    return System.getProperty("user.name", "?");
  }

  private static StartupFailure fail(String message) {
    return new StartupFailure(Exit.DATA_DIRECTORY, message);
  }
}
