package io.tarn.storage;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The data directory's format, in {@code <data>/tarn-format}: a format number, the features the data
 * needs, and the build that wrote the file. A build refuses a data directory whose format is newer than
 * it supports or which needs a feature it does not know, before its metadata store is opened (so before
 * anything is written); it upgrades an older format and writes the new number only after the upgrade
 * succeeded. A data directory from before this file is format 1 (the layout it describes): stamped at
 * its first start by a build that has the file.
 *
 * <p>The number orders layouts (each build knows how to upgrade every older one); features name what
 * the data needs from any reader whatever the number, like a file system's incompatible feature flags.
 * Format 1's only feature is {@value #USAGE_COUNTERS}: column family {@code usage} holds counters that
 * batches change by merges, which only a reader with RocksDB's {@code UInt64AddOperator} on that
 * column family can read or compact. RocksDB itself cannot be made to refuse an open without that
 * operator (it fails later, at the first read or compaction of an operand); what keeps older builds out
 * is that RocksDB refuses to open a database without all of its column families, and what keeps newer
 * data away from this build is this file. Feature {@value #ACLS} keeps earlier builds away from data
 * with S3 ACLs.
 */
public final class DataFormat {
  static final String FILE = "tarn-format";
  /** The format this build writes and the newest it can open. */
  public static final int CURRENT = 1;
  /** Column family {@code usage} of merge-operator counters ({@code objects.BucketUsage}). */
  static final String USAGE_COUNTERS = "usage-counters";
  /**
   * S3 ACLs and Object Ownership: buckets' ACLs in column family {@code grants} (in place of the
   * per-user grant records of earlier builds, folded into them at every open by
   * {@code objects.BucketAcls#migrateLegacyGrants}), and bucket, object and upload records of formats
   * that carry ownership and grants. An earlier build would misread the grants, and fail on the records.
   */
  static final String ACLS = "acls";
  /** The features this build knows and whose data it writes. */
  static final Set<String> FEATURES = Set.of(USAGE_COUNTERS, ACLS);

  private static final System.Logger LOG = System.getLogger(DataFormat.class.getName());

  /**
   * What a data directory says about its format.
   *
   * @param format its format number (1 for a data directory from before the file)
   * @param features the features it needs
   * @param stamped whether the file exists
   */
  public record Found(int format, Set<String> features, boolean stamped) {}

  /** One step of an upgrade: changes the data of format {@code from()} into format {@code from() + 1}. */
  public interface Upgrade {
    int from();

    /** Runs on the opened store, before it serves; throws to refuse the open (the file keeps the old number). */
    void apply(Path dataDir);
  }

  private final int current;
  private final Set<String> known;
  private final List<Upgrade> upgrades;

  /** This build's format: {@link #CURRENT}, {@link #FEATURES}, no upgrade step (format 1 is the first). */
  public static DataFormat thisBuild() {
    return new DataFormat(CURRENT, FEATURES, List.of());
  }

  DataFormat(int current, Set<String> known, List<Upgrade> upgrades) {
    this.current = current;
    this.known = Set.copyOf(known);
    this.upgrades = List.copyOf(upgrades);
  }

  /**
   * Reads {@code <dataDir>/tarn-format} and refuses what this build cannot open; writes nothing.
   *
   * @throws StorageException INCOMPATIBLE if the format is newer than this build's or a feature is
   *     unknown to it, or the file is not a format file; IO if it cannot be read
   */
  public Found check(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Found(1, Set.of(), false);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot read " + file + ": " + e, e);
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw notAFormatFile(file, e.getMessage());
    }
    int format;
    try {
      format = Integer.parseInt(p.getProperty("format", "").strip());
    } catch (NumberFormatException e) {
      throw notAFormatFile(file, "format=" + p.getProperty("format"));
    }
    if (format < 1) {
      throw notAFormatFile(file, "format=" + format);
    }
    Set<String> features = Arrays.stream(p.getProperty("features", "").split(","))
        .map(String::strip).filter(f -> !f.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    String writer = p.getProperty("written-by", "an unknown build").strip();
    if (format > current) {
      throw new StorageException(StorageException.Kind.INCOMPATIBLE, "data directory format " + format
          + " is newer than this build supports (" + current + "): upgrade Tarn (" + dataDir + " was written by "
          + writer + ")");
    }
    Set<String> unknown = new TreeSet<>(features);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new StorageException(StorageException.Kind.INCOMPATIBLE, "data directory " + dataDir + " uses "
          + String.join(", ", unknown) + ", which this build does not know (written by " + writer + "): upgrade Tarn");
    }
    return new Found(format, Set.copyOf(features), true);
  }

  private static StorageException notAFormatFile(Path file, String detail) {
    return new StorageException(StorageException.Kind.INCOMPATIBLE, file + " is not a Tarn format file (" + detail
        + "): restore it from a backup, or delete it if this data directory was made by a Tarn without it");
  }

  /**
   * Brings an opened data directory of format {@code found} to this build's: runs the upgrade steps from
   * its format on, then writes the file (format, features, this build) if it is missing or says
   * something else. Called once the store has opened, before it serves: a failed open or upgrade
   * leaves the file as it was.
   */
  public void upgrade(Path dataDir, Found found, String build) {
    for (int f = found.format(); f < current; f++) {
      int from = f;
      Upgrade step = upgrades.stream().filter(u -> u.from() == from).findFirst().orElseThrow(
          () -> new IllegalStateException("no upgrade from data directory format " + from));
      step.apply(dataDir);
      LOG.log(System.Logger.Level.INFO, "upgraded " + dataDir + " from format " + from + " to " + (from + 1));
      write(dataDir, from + 1, found.features(), build); // a later step that fails restarts from here
    }
    if (found.stamped() && found.format() == current && found.features().equals(known)) {
      return;
    }
    write(dataDir, current, known, build);
    if (!found.stamped()) {
      LOG.log(System.Logger.Level.INFO, "wrote " + dataDir.resolve(FILE) + " (format " + current + ")");
    }
  }

  private static void write(Path dataDir, int format, Set<String> features, String build) {
    String text = "# The format of this Tarn data directory. Written by Tarn: do not edit.\n"
        + "# A build refuses a newer format or an unknown feature, and upgrades an older format.\n"
        + "format=" + format + "\n"
        + "features=" + String.join(",", new TreeSet<>(features)) + "\n"
        + "written-by=" + build + "\n";
    try {
      DataMode.writeSecretFile(dataDir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8), true, true);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot write " + dataDir.resolve(FILE) + ": " + e, e);
    }
  }

  /** The build of these classes, from the jar's manifest: {@code tarn 1.2.3}, or {@code tarn dev}. */
  public static String build() {
    String v = DataFormat.class.getPackage().getImplementationVersion();
    return "tarn " + (v == null ? "dev" : v);
  }
}
