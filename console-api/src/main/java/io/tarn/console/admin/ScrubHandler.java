package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.DamagedBlob;
import io.tarn.storage.Integrity;
import io.tarn.storage.ScrubReport;
import io.tarn.storage.StorageException;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /scrub}, {@code GET /scrub} and {@code GET /damage} (admins only). A scrub on demand
 * verifies every blob and may take far longer than an HTTP exchange should, so {@code POST} starts
 * it on a thread of its own and answers 202 with the job; {@code GET /scrub} shows the latest job
 * (running, then its report), which {@code tarn admin scrub} polls. One runs at a time: a second
 * {@code POST} while one runs answers with the running job. The job runs unthrottled unless
 * {@code ?rate=} (bytes per second) is given: the background scrub is the paced one.
 */
final class ScrubHandler {
  private final Integrity integrity;
  private final Clock clock;
  private Job current; // guarded by this
  private long nextId = 1;

  ScrubHandler(Integrity integrity, Clock clock) {
    this.integrity = integrity;
    this.clock = clock;
  }

  /** One on-demand scrub; mutable by its thread, read under the handler's lock. */
  private static final class Job {
    final long id;
    final String bucket;
    final String started;
    String state = "running";
    String finished;
    ScrubReport report;
    String error;

    Job(long id, String bucket, String started) {
      this.id = id;
      this.bucket = bucket;
      this.started = started;
    }
  }

  ApiResponse start(Call c) {
    String bucket = c.query("bucket").filter(b -> !b.isEmpty()).orElse(null);
    long rate = c.query("rate").map(ScrubHandler::rate).orElse(0L);
    synchronized (this) {
      if (current != null && current.state.equals("running")) {
        return Json.response(202, view(current));
      }
      Job job = new Job(nextId++, bucket, Times.format(clock.instant()));
      current = job;
      Thread t = new Thread(() -> run(job, rate), "tarn-scrub-" + job.id);
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      t.start();
      return Json.response(202, view(job));
    }
  }

  private static long rate(String text) {
    try {
      long r = Long.parseLong(text);
      if (r >= 0) {
        return r;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.invalid("\"rate\" must be a number of bytes per second (0: unlimited), not \"" + text + "\"");
  }

  private void run(Job job, long rate) {
    ScrubReport report = null;
    String error = null;
    try {
      report = integrity.scrub(job.bucket, rate);
    } catch (StorageException e) {
      error = e.kind() == StorageException.Kind.NO_SUCH_BUCKET ? "no such bucket: " + job.bucket : e.getMessage();
    } catch (RuntimeException e) {
      error = e.toString();
    }
    synchronized (this) {
      job.report = report;
      job.error = error;
      job.state = error == null ? "done" : "failed";
      job.finished = Times.format(clock.instant());
    }
  }

  synchronized ApiResponse status(Call c) {
    if (current == null) {
      throw ApiException.notFound("no scrub has been started since the server started");
    }
    return Json.response(200, view(current));
  }

  ApiResponse damage(Call c) {
    List<Views.Damaged> damaged = integrity.damaged().stream().map(ScrubHandler::view).toList();
    return Json.response(200, new Views.Damage(integrity.detections(), damaged));
  }

  private static Views.ScrubJob view(Job j) {
    ScrubReport r = j.report;
    Views.ScrubResult result = r == null ? null : new Views.ScrubResult(r.objects(), r.uploads(), r.blobs(), r.bytes(),
        r.inline(), r.took().toMillis(), r.damaged().stream().map(ScrubHandler::view).toList());
    return new Views.ScrubJob(j.id, j.state, j.bucket, j.started, j.finished, result, j.error);
  }

  private static Views.Damaged view(DamagedBlob d) {
    return new Views.Damaged(d.blobId(), d.bucket(), d.key(), d.uploadId(), d.partNumber(),
        d.problem().name().toLowerCase(java.util.Locale.ROOT), d.detail(), Times.format(d.detected()), d.foundBy());
  }
}
