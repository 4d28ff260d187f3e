package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.ResponseOverrides;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.PartSummary;
import io.tarn.storage.Segment;
import io.tarn.storage.StorageException;
import io.tarn.storage.StoredChecksum;
import java.util.List;

/** GetObject and HeadObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). */
public final class ObjectReads {
  private final ObjectStore store;

  public ObjectReads(ObjectStore store) {
    this.store = store;
  }

  /**
   * Serves an object, a single range of it, or one part of a multipart object.
   *
   * <p>With {@code x-amz-checksum-mode: ENABLED} the checksum headers describe exactly the bytes sent, as
   * in S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html): the
   * object's checksum for the whole object (a composite one as {@code base64-N}), the part's checksum for
   * a {@code partNumber} read of a multipart object, and none for a range.
   *
   * @param head HEAD: headers only
   */
  public S3Response read(String bucket, String key, int partNumber, ResponseOverrides overrides, HttpHeaders h, boolean head) {
    ObjectContent content;
    try {
      content = store.open(bucket, key);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, key);
    }
    boolean handedOver = false;
    try {
      ObjectInfo info = content.info();
      try {
        Preconditions.checkRead(h, info.etag(), info.lastModified());
      } catch (S3Exception e) {
        if (e.error() != S3Error.NOT_MODIFIED) {
          throw e;
        }
        // RFC 9110 section 15.4.5: a 304 carries the validators a 200 would have had.
        return S3Response.status(304).header("ETag", ObjectHeaders.quote(info.etag()))
            .header("Last-Modified", ObjectHeaders.httpDate(info.lastModified()));
      }
      S3Response r;
      long offset = 0;
      long length = info.size();
      StoredChecksum checksum = info.checksum();
      if (partNumber > 0) {
        long[] part = partRange(info, partNumber);
        offset = part[0];
        length = part[1];
        r = S3Response.status(info.isMultipart() ? 206 : 200);
        r.header("x-amz-mp-parts-count", info.isMultipart() ? info.parts().size() : null);
        if (info.isMultipart()) {
          r.header("Content-Range", new ByteRange(offset, length).contentRange(info.size()));
          // The bytes are one part's, so the checksum that describes them is that part's.
          checksum = info.parts().get(partNumber - 1).checksum();
        }
      } else {
        ByteRange range = ByteRange.parse(h.get("Range"), info.size());
        if (range == null) {
          r = S3Response.ok();
        } else {
          offset = range.offset();
          length = range.length();
          r = S3Response.status(206).header("Content-Range", range.contentRange(info.size()));
          // S3 sends no checksum with a range: no stored checksum describes an arbitrary slice, and
          // SDKs check whatever checksum header comes with the bytes they receive.
          checksum = null;
        }
      }
      boolean checksumMode = "ENABLED".equalsIgnoreCase(h.get("x-amz-checksum-mode"));
      ObjectHeaders.addObjectHeaders(r, info, overrides, checksumMode ? checksum : null);
      r.header("Content-Length", length);
      if (head) {
        return r;
      }
      List<Segment> segments;
      try {
        // With verified reads the first block is checked here: damage found now is a 500, not a cut body.
        segments = content.segments(offset, length);
      } catch (StorageException e) {
        throw StorageErrors.translate(e, bucket, key);
      }
      r.body(new S3Response.Stream(content, segments, length));
      handedOver = true;
      return r;
    } finally {
      if (!handedOver) {
        content.close();
      }
    }
  }

  /** {offset, length} of part {@code n}: a single-part object has only part 1, the whole object. */
  private static long[] partRange(ObjectInfo info, int n) {
    if (!info.isMultipart()) {
      if (n != 1) {
        throw new S3Exception(S3Error.INVALID_PART_NUMBER);
      }
      return new long[] {0, info.size()};
    }
    List<PartSummary> parts = info.parts();
    if (n > parts.size()) {
      throw new S3Exception(S3Error.INVALID_PART_NUMBER);
    }
    long offset = 0;
    for (int i = 0; i < n - 1; i++) {
      offset += parts.get(i).size();
    }
    return new long[] {offset, parts.get(n - 1).size()};
  }
}
