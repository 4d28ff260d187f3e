package io.tarn.server.admin;

import io.tarn.storage.DataMode;
import io.tarn.storage.FsckReport;
import io.tarn.storage.IndexRepair;
import io.tarn.storage.RebuildReport;
import io.tarn.storage.StorageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code tarn admin fsck} and {@code tarn admin rebuild-index}: offline, on the data directory of a
 * stopped server (no endpoint, no credentials). They print a report; fsck exits {@link Exit#FINDINGS}
 * when the index and the blob files disagree.
 */
final class IndexCommands {
  private IndexCommands() {}

  static int fsck(Path data, boolean repair, PrintWriter out, PrintWriter err) {
    FsckReport r;
    try {
      r = IndexRepair.fsck(data, repair);
    } catch (StorageException e) {
      err.println("fsck: " + e.getMessage());
      return Exit.ERROR.code();
    }
    out.printf("objects: %d (%d inline: in the index only, not recoverable by rebuild-index)%n", r.objects(),
        r.inlineObjects());
    out.printf("blob files: %d%n", r.blobFiles());
    for (FsckReport.Finding f : r.findings()) {
      out.printf("%s %s %s%n", f.kind(), f.blobId() == null ? "-" : f.blobId(), f.detail());
    }
    long repaired = repair ? r.findings().stream().filter(f -> f.kind() == FsckReport.Kind.USAGE_MISMATCH).count() : 0;
    out.println(r.clean() ? "clean" : r.findings().size() + " findings (" + (repair
        ? repaired + " USAGE_MISMATCH repaired, nothing else was changed)" : "nothing was changed)"));
    return r.clean() ? Exit.OK.code() : Exit.FINDINGS.code();
  }

  static int rebuild(Path data, DataMode mode, PrintWriter out, PrintWriter err) {
    RebuildReport r;
    try {
      r = IndexRepair.rebuild(data, true, mode, Clock.systemUTC());
    } catch (StorageException e) {
      err.println("rebuild-index: " + e.getMessage());
      return Exit.ERROR.code();
    }
    out.println(r.movedAside() == null ? "no index was there" : "the old index is in " + r.movedAside());
    out.printf("rebuilt from the blob files: %d buckets, %d objects, %d bytes%n", r.buckets(), r.objects(), r.bytes());
    if (!r.unplaced().isEmpty()) {
      out.printf("%d blob files could not be placed (left where they are):%n", r.unplaced().size());
      for (RebuildReport.Unplaced u : r.unplaced()) {
        out.printf("  %s %s%n", u.blobId(), u.reason());
      }
    }
    for (String note : r.notes()) {
      out.println(note);
    }
    out.println("lost (in the old index only; no event was emitted for the rebuilt objects):");
    for (String lost : r.lost()) {
      out.println("  - " + lost);
    }
    return Exit.OK.code();
  }
}
