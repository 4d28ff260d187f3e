package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.BackupProgress;
import io.tarn.storage.BackupReport;
import io.tarn.storage.Backups;
import io.tarn.storage.StorageException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * {@code POST /backup} and {@code GET /backup} (admins only). A backup of a big store outlasts any
 * HTTP exchange, so {@code POST} checks the directory (a refusal is a 400 at once), starts the backup
 * on a thread of its own and answers 202 with the job; {@code GET} shows the latest job (progress
 * while it runs, then its report), which {@code tarn admin backup} polls. One runs at a time: a
 * second {@code POST} meanwhile is a 409. The directory is a path on the server's machine.
 */
final class BackupHandler {
  private final Backups backups;
  private final Clock clock;
  private Job current; // guarded by this
  private long nextId = 1;

  BackupHandler(Backups backups, Clock clock) {
    this.backups = backups;
    this.clock = clock;
  }

  record StartBackup(String dir, String verify, Boolean copy) {}

  /** One backup; written by its thread, read under the handler's lock. */
  private static final class Job {
    final long id;
    final String dir;
    final String verify;
    final String started;
    String state = "running";
    String finished;
    volatile BackupProgress progress = new BackupProgress("checkpoint", 0, 0, 0);
    BackupReport report;
    String error;

    Job(long id, String dir, String verify, String started) {
      this.id = id;
      this.dir = dir;
      this.verify = verify;
      this.started = started;
    }
  }

  ApiResponse start(Call c) {
    StartBackup body = Json.read(c.body(), StartBackup.class);
    if (body.dir() == null || body.dir().isBlank()) {
      throw ApiException.invalid("\"dir\" is required: an absolute path on the server's machine");
    }
    Path dir;
    try {
      dir = Path.of(body.dir());
    } catch (InvalidPathException e) {
      throw ApiException.invalid("\"dir\" is not a path: " + e.getMessage());
    }
    Backups.Verify verify = verify(body.verify());
    boolean copy = Boolean.TRUE.equals(body.copy());
    synchronized (this) {
      if (current != null && current.state.equals("running")) {
        throw ApiException.conflict("a backup is already running (into " + current.dir + "): one at a time");
      }
      backups.check(dir); // refused at once, with the reason, rather than as a failed job
      Job job = new Job(nextId++, dir.toString(), verify.name().toLowerCase(Locale.ROOT), Times.format(clock.instant()));
      current = job;
      Thread t = new Thread(() -> run(job, dir, verify, copy), "tarn-backup-" + job.id);
      t.setDaemon(true);
      t.start();
      return Json.response(202, view(job));
    }
  }

  private static Backups.Verify verify(String text) {
    if (text == null) {
      return Backups.Verify.QUICK;
    }
    for (Backups.Verify v : Backups.Verify.values()) {
      if (v.name().equalsIgnoreCase(text)) {
        return v;
      }
    }
    throw ApiException.invalid("\"verify\" must be \"quick\" or \"full\", not \"" + text + "\"");
  }

  private void run(Job job, Path dir, Backups.Verify verify, boolean copy) {
    BackupReport report = null;
    String error = null;
    try {
      report = backups.backup(dir, verify, copy, p -> job.progress = p);
    } catch (StorageException e) {
      error = e.getMessage();
    } catch (RuntimeException e) {
      error = e.toString();
    }
    synchronized (this) {
      job.report = report;
      job.error = error != null ? error
          : report.verified() ? null : "the backup failed its verification: " + report.problems().size() + " problems";
      job.state = job.error == null ? "done" : "failed";
      job.finished = Times.format(clock.instant());
    }
  }

  synchronized ApiResponse status(Call c) {
    if (current == null) {
      throw ApiException.notFound("no backup has been started since the server started");
    }
    return Json.response(200, view(current));
  }

  private static Views.BackupJob view(Job j) {
    BackupProgress p = j.progress;
    BackupReport r = j.report;
    Views.BackupResult result = r == null ? null : new Views.BackupResult(r.dir().toString(),
        r.blobFiles() == 0 ? "none" : r.hardLinked() ? "hard-linked" : "copied", r.buckets(), r.objects(),
        r.inlineObjects(), r.objectBytes(), r.blobFiles(), r.blobBytes(), r.indexBytes(), r.files(), r.heldDeletions(),
        r.verifiedBlobs(), r.verifiedBytes(), r.checkpoint().toMillis(), r.took().toMillis(),
        r.problems().stream().map(f -> new Views.BackupProblem(f.kind().name(), f.blobId(), f.detail())).toList());
    return new Views.BackupJob(j.id, j.state, j.dir, j.verify, j.started, j.finished,
        new Views.BackupProgressView(p.phase(), p.done(), p.total(), p.bytes()), result, j.error);
  }
}
