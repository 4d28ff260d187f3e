// Uploads: a queue that runs a few files at a time, each by a strategy function chosen in strategyFor():
// putSingle (one presigned PUT) for small files, putMultipart (multipart.js: parallel parts, resume after a
// reload or a dropped network) for big ones. The queue and its view are the same for both.
import {explainRefusal} from './access.js';
import {presign} from './api.js';
import {MULTIPART_THRESHOLD, putMultipart} from './multipart.js';
import {S3Error, dotSegmentUploadError, hasDotSegment, putBody} from './s3.js';

/** How many files go at once: enough to hide per-request latency, few enough to keep each one moving. */
const CONCURRENCY = 3;
/** A single PUT carries at most 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html). */
export const SINGLE_PUT_LIMIT = 5 * 1024 ** 3;
/** Speed is measured over the last few seconds, so it follows the network rather than the whole history. */
const SPEED_WINDOW_MS = 5000;

/**
 * Sends job.file to job.bucket/job.key with one presigned PUT. onProgress(bytesSent) follows the body;
 * signal aborts it. Resolves with the ETag. Used for files up to MULTIPART_THRESHOLD.
 */
export async function putSingle(job, onProgress, signal) {
  if (job.file.size > SINGLE_PUT_LIMIT) {
    throw new S3Error(400, 'EntityTooLarge', 'This file is larger than 5 GiB, the most one upload request can carry.');
  }
  const url = await presign({method: 'PUT', bucket: job.bucket, key: job.key});
  return putBody(url, job.file, {contentType: job.file.type, onProgress, signal});
}

/**
 * The strategy for a file: one PUT up to MULTIPART_THRESHOLD, a multipart upload (parallel parts,
 * resumable) above it.
 */
export function strategyFor(file) {
  return file.size > MULTIPART_THRESHOLD ? putMultipart : putSingle;
}

/**
 * Files waiting, going and done. onChange() runs after every change (the view throttles its redraw);
 * onFinished(bucket, keys) after each batch added together has ended, to refresh a listing.
 */
export class UploadQueue {
  constructor(onChange, onFinished) {
    this.jobs = [];
    this.onChange = onChange;
    this.onFinished = onFinished;
    this.samples = [];
    this.nextId = 1;
  }

  /** Adds [{file, key}] for bucket and starts them. */
  add(bucket, entries) {
    const batch = entries.map(({file, key}) => ({
      id: this.nextId++, bucket, key, file, state: 'queued', loaded: 0, error: '', controller: new AbortController(),
    }));
    batch.forEach((job) => this.jobs.push(job));
    batch.remaining = batch.length;
    batch.forEach((job) => { job.batch = batch; });
    this.pump();
    this.changed();
  }

  cancel(job) {
    if (job.state === 'queued') {
      this.finish(job, 'cancelled', 'Cancelled before it started.');
    } else if (job.state === 'uploading') {
      job.controller.abort();
    }
  }

  /** Forgets finished jobs (done, failed or cancelled). */
  clearFinished() {
    this.jobs = this.jobs.filter((j) => j.state === 'queued' || j.state === 'uploading');
    this.changed();
  }

  pump() {
    while (this.jobs.filter((j) => j.state === 'uploading').length < CONCURRENCY) {
      const job = this.jobs.find((j) => j.state === 'queued');
      if (!job) return;
      this.run(job);
    }
  }

  async run(job) {
    job.state = 'uploading';
    job.started = performance.now();
    try {
      // A key with a dot segment (only a folder's prefix can bring one) would be sent to another path.
      if (hasDotSegment(job.key)) throw dotSegmentUploadError(job.bucket, job.key);
      await strategyFor(job.file)(job, (loaded) => {
        job.loaded = loaded;
        this.changed();
      }, job.controller.signal);
      this.finish(job, 'done', '');
    } catch (e) {
      // A refusal is explained from the caller's access as it is now (e.g. a read-only grant).
      this.finish(job, e.code === 'Cancelled' ? 'cancelled' : 'failed', await explainRefusal(e, job.bucket));
    }
  }

  finish(job, state, error) {
    job.state = state;
    job.error = error;
    job.batch.remaining--;
    if (job.batch.remaining === 0 && this.onFinished) {
      this.onFinished(job.bucket, job.batch.filter((j) => j.state === 'done').map((j) => j.key));
    }
    this.pump();
    this.changed();
  }

  changed() {
    const now = performance.now();
    // Bytes a resumed upload found already on the server were not sent now: they are no speed.
    const t = this.totals();
    this.samples.push([now, t.loaded - t.skipped]);
    while (this.samples.length > 2 && now - this.samples[0][0] > SPEED_WINDOW_MS) this.samples.shift();
    this.onChange();
  }

  /**
   * {files, done, failed, active, loaded, skipped, total}: files not cancelled; bytes of those that did not
   * fail (skipped: the part of loaded that resumed uploads found already sent).
   */
  totals() {
    const counted = this.jobs.filter((j) => j.state !== 'cancelled');
    const going = counted.filter((j) => j.state !== 'failed');
    return {
      files: counted.length,
      done: counted.filter((j) => j.state === 'done').length,
      failed: counted.length - going.length,
      active: going.some((j) => j.state === 'queued' || j.state === 'uploading'),
      loaded: going.reduce((n, j) => n + j.loaded, 0),
      skipped: going.reduce((n, j) => n + (j.skipped || 0), 0),
      total: going.reduce((n, j) => n + j.file.size, 0),
    };
  }

  /** Bytes per second over the last few seconds, or 0 before there is anything to measure. */
  speed() {
    if (this.samples.length < 2) return 0;
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? Math.max(0, (b1 - b0) * 1000 / (t1 - t0)) : 0;
  }
}
