package io.tarn.s3.ops;

import io.netty.buffer.ByteBuf;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.S3Operation.AbortMultipartUpload;
import io.tarn.s3.route.S3Operation.CompleteMultipartUpload;
import io.tarn.s3.route.S3Operation.CreateMultipartUpload;
import io.tarn.s3.route.S3Operation.ListMultipartUploads;
import io.tarn.s3.route.S3Operation.ListParts;
import io.tarn.s3.route.S3Operation.UploadPart;
import io.tarn.s3.route.S3Operation.UploadPartCopy;
import io.tarn.s3.xml.CompleteMultipartUploadResult;
import io.tarn.s3.xml.CopyPartResult;
import io.tarn.s3.xml.InitiateMultipartUploadResult;
import io.tarn.s3.xml.ListMultipartUploadsResult;
import io.tarn.s3.xml.ListPartsResult;
import io.tarn.s3.xml.Owner;
import io.tarn.s3.xml.UrlEncoding;
import io.tarn.s3.xml.XmlBodyParser;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketRef;
import io.tarn.storage.CompletedPart;
import io.tarn.storage.ObjectContent;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.PartSummary;
import io.tarn.storage.PartsPage;
import io.tarn.storage.Segment;
import io.tarn.storage.StorageException;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.UploadsPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html). */
public final class MultipartOps {
  private static final XmlBodyParser XML = new XmlBodyParser();

  /** Parts other than the last must be at least this large. */
  public static final long MIN_PART_SIZE = 5L << 20;
  public static final long MAX_PART_SIZE = 5L << 30;

  private final ObjectStore store;
  private final Acls acls;
  private final Owners owners;

  public MultipartOps(ObjectStore store, Owners owners, Acls acls) {
    this.acls = acls;
    this.store = store;
    this.owners = owners;
  }

  public S3Response create(Call call, CreateMultipartUpload op) {
    ChecksumAlgorithm alg = CopyOps.checksumAlgorithm(call);
    boolean fullObject = fullObjectChecksum(call, alg);
    // Stored with the upload, given to the object at CompleteMultipartUpload.
    AclRequest acl = acls.fromHeaders(op.bucket(), call.headers());
    UploadInfo u;
    try {
      u = store.createUpload(call.bucketRef(op.bucket()), op.key(), ObjectHeaders.fromRequest(call.headers()), alg, fullObject,
          call.context(), acl);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), op.key());
    }
    S3Response r = S3Response.xml(new InitiateMultipartUploadResult(op.bucket(), op.key(), u.uploadId()));
    if (alg != null) {
      r.header("x-amz-checksum-algorithm", alg.s3Name()).header("x-amz-checksum-type", u.checksumType());
    }
    return r;
  }

  /**
   * Whether the upload's checksum is of the full object (x-amz-checksum-type FULL_OBJECT, or CRC64NVME,
   * which has no other) or composite (COMPOSITE, the default of the other algorithms). Full-object
   * checksums exist for the CRCs only, composite ones for all but CRC64NVME.
   */
  private static boolean fullObjectChecksum(Call call, ChecksumAlgorithm alg) {
    String type = call.headers().get("x-amz-checksum-type");
    if (type == null) {
      return alg != null && alg.multipartFullObjectByDefault();
    }
    String t = type.trim().toUpperCase(Locale.ROOT);
    if (!t.equals("FULL_OBJECT") && !t.equals("COMPOSITE")) {
      throw new S3Exception(S3Error.INVALID_REQUEST,
          "Value for x-amz-checksum-type header is invalid: " + type.trim() + " (FULL_OBJECT or COMPOSITE)");
    }
    if (alg == null) {
      throw new S3Exception(S3Error.INVALID_REQUEST,
          "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    }
    boolean full = t.equals("FULL_OBJECT");
    if (!alg.allowsMultipartType(full)) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "The " + t + " checksum type cannot be used with the "
          + alg.s3Name().toLowerCase(Locale.ROOT) + " checksum algorithm.");
    }
    return full;
  }

  /** UploadPart: runs before the body is read, so a missing upload is refused before any byte. */
  public BodyConsumer uploadPart(Call call, UploadPart op) {
    UploadInfo upload = upload(op.bucket(), op.key(), op.uploadId());
    PayloadReceiver receiver = PayloadReceiver.open(store, call, MAX_PART_SIZE, upload.checksumAlgorithm());
    return new BodyConsumer() {
      @Override
      public void onContent(ByteBuf content) {
        receiver.onContent(content);
      }

      @Override
      public S3Response onEnd() {
        try (receiver) {
          PayloadReceiver.Received body = receiver.finish();
          // Into the bucket the part was authorized against: its upload is gone with it if it was deleted.
          PartSummary part = store.putPart(call.bucketRef(op.bucket()), op.key(), op.uploadId(), op.partNumber(),
              body.upload(), body.checksum());
          return partResponse(S3Response.ok(), part);
        } catch (StorageException e) {
          throw StorageErrors.translate(e, op.bucket(), op.key());
        }
      }

      @Override
      public void onAbort() {
        receiver.close();
      }
    };
  }

  private static S3Response partResponse(S3Response r, PartSummary part) {
    r.header("ETag", ObjectHeaders.quote(part.etag()));
    if (part.checksum() != null) {
      r.header(part.checksum().algorithm().headerName(), part.checksum().wireValue());
    }
    return r;
  }

  /** UploadPartCopy, with an optional {@code x-amz-copy-source-range}. */
  public S3Response uploadPartCopy(Call call, UploadPartCopy op) {
    UploadInfo u = upload(op.bucket(), op.key(), op.uploadId());
    ObjectContent source;
    try {
      source = openAuthorizedSource(call, op);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.source().bucket(), op.source().key());
    }
    try (source) {
      ObjectInfo info = source.info();
      Preconditions.checkCopySource(call.headers(), info.etag(), info.lastModified());
      long offset = 0;
      long length = info.size();
      String range = call.headers().get("x-amz-copy-source-range");
      if (range != null) {
        long[] r = copyRange(range, info.size());
        offset = r[0];
        length = r[1];
      }
      if (length > MAX_PART_SIZE) {
        throw new S3Exception(S3Error.ENTITY_TOO_LARGE);
      }
      EnumSet<ChecksumAlgorithm> digests = EnumSet.noneOf(ChecksumAlgorithm.class);
      if (u.checksumAlgorithm() != null) {
        digests.add(u.checksumAlgorithm());
      }
      try (BlobUpload upload = store.openUpload(length, digests)) {
        copyInto(source.segments(offset, length), upload);
        BlobUpload.Digests d = upload.finish();
        StoredChecksum checksum = u.checksumAlgorithm() == null ? null
            : new StoredChecksum(u.checksumAlgorithm(), d.digests().get(u.checksumAlgorithm()), 0);
        PartSummary part = store.putPart(call.bucketRef(op.bucket()), op.key(), op.uploadId(), op.partNumber(), upload,
            checksum);
        return S3Response.xml(new CopyPartResult(part.etag(), part.lastModified(), part.checksum()));
      }
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), op.key());
    }
  }

  /**
   * Opens the copy source, if its bucket is still the incarnation read before authorization after the
   * open: then the bytes are from the bucket the caller was authorized to read, not one created since
   * under its name (Tarn issue 11).
   */
  private ObjectContent openAuthorizedSource(Call call, UploadPartCopy op) {
    String bucket = op.source().bucket();
    BucketRef authorized = call.bucketRef(bucket);
    ObjectContent source = store.open(bucket, op.source().key());
    boolean ok = false;
    try {
      if (!store.bucket(bucket).map(BucketInfo::ref).filter(authorized::equals).isPresent()) {
        throw new StorageException(StorageException.Kind.NO_SUCH_BUCKET, "no such bucket: " + bucket);
      }
      ok = true;
      return source;
    } finally {
      if (!ok) {
        source.close();
      }
    }
  }

  /** Copies the segments into the upload; every segment's file channel is closed, even on failure. */
  private static void copyInto(List<Segment> segments, BlobUpload upload) {
    try {
      ByteBuffer buf = null;
      for (Segment s : segments) {
        if (s instanceof Segment.BytesSegment) {
          Segment.BytesSegment b = (Segment.BytesSegment) s;
          upload.write(ByteBuffer.wrap(b.data(), b.offset(), b.count()));
          continue;
        }
        if (buf == null) {
          buf = ByteBuffer.allocate(1 << 20);
        }
        copyFile((Segment.FileSegment) s, buf, upload);
      }
    } finally {
      for (Segment s : segments) {
        if (s instanceof Segment.FileSegment) {
          try {
            ((Segment.FileSegment) s).channel().close();
          } catch (IOException ignored) {
            // read-only channel: nothing to lose
          }
        }
      }
    }
  }

  /** The segment's bytes into the upload, each block verified first when reads are (never copying damage). */
  private static void copyFile(Segment.FileSegment f, ByteBuffer buf, BlobUpload upload) {
    try {
      f.readTo(buf, upload::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {offset, length} from {@code bytes=first-last}, which must lie inside the source. */
  private static long[] copyRange(String header, long size) {
    String h = header.trim();
    int dash = h.indexOf('-');
    if (!h.startsWith("bytes=") || dash < 0) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
    }
    try {
      long first = Long.parseLong(h.substring(6, dash).trim());
      long last = Long.parseLong(h.substring(dash + 1).trim());
      if (first < 0 || last < first) {
        throw new NumberFormatException();
      }
      if (last >= size) {
        throw new S3Exception(S3Error.INVALID_RANGE, "The requested range is not satisfiable",
            Map.of("RangeRequested", h, "ActualObjectSize", Long.toString(size)));
      }
      return new long[] {first, last - first + 1};
    } catch (NumberFormatException e) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
    }
  }

  public S3Response complete(Call call, CompleteMultipartUpload op, byte[] body) {
    ChecksumAlgorithm algorithm;
    try {
      algorithm = store.upload(op.bucket(), op.key(), op.uploadId()).checksumAlgorithm();
    } catch (StorageException e) {
      if (e.kind() != StorageException.Kind.NO_SUCH_UPLOAD) {
        throw StorageErrors.translate(e, op.bucket(), op.key());
      }
      // Perhaps a retry of a completion that succeeded: storage answers it by part numbers and ETags
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
      algorithm = null;
    }
    List<CompletedPart> parts = XML.completeMultipartUpload(body).toCompletedParts(algorithm);
    // A checksum header here is the whole object's (full-object, or base64-N composite): checked
    // against what the parts make before anything is committed.
    ChecksumAlgorithm claimed = PayloadReceiver.checksumHeader(call.headers());
    ObjectInfo info;
    try {
      info = store.completeUpload(call.bucketRef(op.bucket()), op.key(), op.uploadId(), parts, MIN_PART_SIZE,
          ObjectWrites.writeCondition(call), claimed, claimed == null ? null : call.headers().get(claimed.headerName()),
          call.context());
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), op.key());
    }
    String host = call.headers().get("Host");
    String location = (call.head().tls() ? "https://" : "http://") + (host == null ? "localhost" : host) + "/" + op.bucket() + "/" + UrlEncoding.encode(op.key());
    S3Response r = S3Response.xml(new CompleteMultipartUploadResult(location, op.bucket(), op.key(), info.etag(), info.checksum()));
    if (info.checksum() != null) {
      r.header(info.checksum().algorithm().headerName(), info.checksum().wireValue());
      r.header("x-amz-checksum-type", info.checksum().type());
    }
    return r;
  }

  public S3Response abort(Call call, AbortMultipartUpload op) {
    try {
      store.abortUpload(call.bucketRef(op.bucket()), op.key(), op.uploadId());
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), op.key());
    }
    return S3Response.noContent();
  }

  public S3Response listParts(Call call, ListParts op) {
    PartsPage page;
    try {
      page = store.listParts(op.bucket(), op.key(), op.uploadId(), op.partNumberMarker(), op.maxParts());
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), op.key());
    }
    UploadInfo u = page.upload();
    Owner owner = owner(u.ownerId());
    List<ListPartsResult.Part> parts = new ArrayList<>();
    for (PartSummary p : page.parts()) {
      parts.add(ListPartsResult.Part.of(p));
    }
    return S3Response.xml(new ListPartsResult(op.bucket(), op.key(), op.uploadId(), owner, owner, op.partNumberMarker(),
        page.nextPartNumberMarker(), op.maxParts(), page.truncated(), u.checksumAlgorithm(), u.checksumType(), parts));
  }

  public S3Response listUploads(Call call, ListMultipartUploads op) {
    UploadsPage page;
    try {
      page = store.listUploads(op.bucket(), op.prefix(), op.delimiter(), op.keyMarker(), op.uploadIdMarker(), op.maxUploads());
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), null);
    }
    List<ListMultipartUploadsResult.Upload> uploads = new ArrayList<>();
    for (UploadInfo u : page.uploads()) {
      Owner o = owner(u.ownerId());
      uploads.add(new ListMultipartUploadsResult.Upload(u.key(), u.uploadId(), o, o, u.initiated(), u.checksumAlgorithm(),
          u.checksumType()));
    }
    return S3Response.xml(new ListMultipartUploadsResult(op.bucket(), op.keyMarker(), op.uploadIdMarker(),
        page.truncated() ? page.nextKeyMarker() : null, page.truncated() ? page.nextUploadIdMarker() : null,
        op.delimiter(), op.prefix(), op.maxUploads(), op.urlEncoding(), page.truncated(), uploads, page.commonPrefixes()));
  }

  private UploadInfo upload(String bucket, String key, String uploadId) {
    try {
      return store.upload(bucket, key, uploadId);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, key);
    }
  }

  private Owner owner(String userId) {
    return new Owner(userId, owners.displayName(userId));
  }
}
