package io.tarn.storage;

import io.tarn.core.Ids;
import io.tarn.storage.meta.MetaStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Ties {@code meta/} to its data directory: a store id (random, made once) and an epoch (random, new at
 * every open and clean close), kept both in {@code meta/} and in {@code <data>/store-stamp}.
 *
 * <ul>
 *   <li>Different store ids: {@code meta/} belongs to another store. Refused: serving it would answer
 *       with another store's objects and quarantine every blob of this one.
 *   <li>Same store, different epochs (or one side without a stamp): {@code meta/} is not the one this
 *       directory last ran with, e.g. restored from a backup. It is served (restoring a backup is a
 *       documented way out), but its intent records prove nothing: a write may have committed after
 *       the copy was taken, so the sweep quarantines those files instead of deleting them.
 * </ul>
 *
 * A copy of a running store's {@code meta/}, restored after a crash of that same run, has the epoch
 * of the directory and is not noticed; only an intent recorded in the milliseconds before the copy
 * and committed after it is then at risk. Both sides are written meta first (synced), file second, so
 * a crash in between leaves them different, which errs on the safe side.
 */
final class StoreStamp {
  static final String FILE = "store-stamp";
  private static final String SYS_KEY = "store.stamp";
  private static final String FILE_HEADER = "tarn-store-stamp 1";
  private static final byte FORMAT = 1;
  private static final System.Logger LOG = System.getLogger(StoreStamp.class.getName());

  private record Stamp(String storeId, String epoch) {}

  private final Path file;
  private final MetaStore meta;
  private final String storeId;

  private StoreStamp(Path file, MetaStore meta, String storeId) {
    this.file = file;
    this.meta = meta;
    this.storeId = storeId;
  }

  /**
   * Compares the stamps of {@code meta} and the data directory, then gives both a new epoch.
   *
   * @return the stamp, whose {@link #continuous} says whether they matched
   * @throws StorageException if {@code meta/} belongs to another store (nothing written)
   */
  static Checked check(Path dataDir, MetaStore meta) {
    Path file = dataDir.resolve(FILE);
    Stamp inMeta = decode(meta.sys(SYS_KEY));
    Stamp inFile = readFile(file);
    if (inMeta != null && inFile != null && !inMeta.storeId().equals(inFile.storeId())) {
      throw new StorageException(StorageException.Kind.IO, "meta/ belongs to another store (store id "
          + inMeta.storeId() + ", this data directory's is " + inFile.storeId() + " in " + file + "), so nothing"
          + " was opened or changed. Put back this data directory's own meta/ or restore it from a backup of this"
          + " store, or run `tarn admin rebuild-index --data " + dataDir + "` to rebuild it from the blob files");
    }
    boolean continuous = inMeta == null && inFile == null || inMeta != null && inMeta.equals(inFile);
    if (!continuous) {
      LOG.log(System.Logger.Level.WARNING, "meta/ is not the one " + dataDir + " last ran with ("
          + (inMeta == null ? "it has no store stamp" : inFile == null ? FILE + " is missing" : "another epoch")
          + "; restored from a backup?): blob files whose commit it does not record are quarantined, not deleted");
    }
    String id = inMeta != null ? inMeta.storeId() : inFile != null ? inFile.storeId() : Ids.random128();
    StoreStamp stamp = new StoreStamp(file, meta, id);
    stamp.advance();
    return new Checked(stamp, continuous);
  }

  /** A checked stamp, and whether {@code meta/} is the one the data directory last ran with. */
  record Checked(StoreStamp stamp, boolean continuous) {}

  /** Gives both sides a new epoch: meta first, synced, then the file. */
  void advance() {
    Stamp next = new Stamp(storeId, Ids.random128());
    try (MetaStore.Batch b = meta.batch()) {
      b.putSys(SYS_KEY, encode(next));
      meta.commit(b, "write the store stamp");
    }
    try {
      DataMode.writeSecretFile(file, (FILE_HEADER + "\n" + next.storeId() + " " + next.epoch() + "\n")
          .getBytes(StandardCharsets.US_ASCII), true, true);
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot write " + file + ": " + e, e);
    }
  }

  private static byte[] encode(Stamp s) {
    byte[] text = (s.storeId() + " " + s.epoch()).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[text.length + 1];
    out[0] = FORMAT;
    System.arraycopy(text, 0, out, 1, text.length);
    return out;
  }

  private static Stamp decode(byte[] v) {
    if (v == null) {
      return null;
    }
    if (v.length < 1 || v[0] != FORMAT) {
      throw new StorageException(StorageException.Kind.IO, "meta/ holds a store stamp of an unknown format");
    }
    return parse(new String(Arrays.copyOfRange(v, 1, v.length), StandardCharsets.US_ASCII), "meta/");
  }

  private static Stamp readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.IO, "cannot read " + file + ": " + e, e);
    }
    String[] lines = text.split("\n");
    if (lines.length < 2 || !lines[0].equals(FILE_HEADER)) {
      throw new StorageException(StorageException.Kind.IO, file + " is not a store stamp of this version");
    }
    return parse(lines[1], file.toString());
  }

  private static Stamp parse(String text, String where) {
    String[] parts = text.strip().split(" ");
    if (parts.length != 2) {
      throw new StorageException(StorageException.Kind.IO, "the store stamp in " + where + " is malformed");
    }
    return new Stamp(parts[0], parts[1]);
  }

}
