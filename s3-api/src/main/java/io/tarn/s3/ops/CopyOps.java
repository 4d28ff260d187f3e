package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.ObjectAttribute;
import io.tarn.s3.route.S3Operation.CopyObject;
import io.tarn.s3.route.S3Operation.GetObjectAttributes;
import io.tarn.s3.xml.CopyObjectResult;
import io.tarn.s3.xml.GetObjectAttributesResponse;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketRef;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.PartSummary;
import io.tarn.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** CopyObject and GetObjectAttributes. */
public final class CopyOps {
  private final ObjectStore store;
  private final Acls acls;

  public CopyOps(ObjectStore store, Owners owners, Acls acls) {
    this.acls = acls;
    this.store = store;
  }

  /**
   * CopyObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html): metadata is
   * copied, or replaced with {@code x-amz-metadata-directive: REPLACE}; {@code x-amz-copy-source-if-*}
   * are checked against the source as it is copied.
   */
  public S3Response copyObject(Call call, CopyObject op) {
    String directive = call.headers().get("x-amz-metadata-directive");
    boolean replace;
    if (directive == null || directive.equalsIgnoreCase("COPY")) {
      replace = false;
    } else if (directive.equalsIgnoreCase("REPLACE")) {
      replace = true;
    } else {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unknown metadata directive.",
          java.util.Map.of("ArgumentName", "x-amz-metadata-directive", "ArgumentValue", directive));
    }
    ChecksumAlgorithm alg = checksumAlgorithm(call);
    boolean self = op.source().bucket().equals(op.bucket()) && op.source().key().equals(op.key());
    if (self && !replace && alg == null) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "This copy request is illegal because it is trying to copy an object to itself"
          + " without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    ObjectMetadata metadata = replace ? ObjectHeaders.fromRequest(call.headers()) : null;
    // The copy gets the ACL the request asks for, never the source's: S3 does not copy ACLs
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
    AclRequest acl = acls.fromHeaders(op.bucket(), call.headers());
    ObjectInfo info;
    try {
      // Out of and into the buckets the request was authorized against (Tarn issue 11).
      info = store.copy(call.bucketRef(op.source().bucket()), op.source().key(), call.bucketRef(op.bucket()), op.key(),
          src -> Preconditions.checkCopySource(call.headers(), src.etag(), src.lastModified()),
          metadata, alg, ObjectWrites.writeCondition(call), call.context(), acl);
    } catch (StorageException e) {
      // The destination is checked first: if it is still the bucket authorized, the source is missing.
      Optional<BucketRef> authorized = call.bucket(op.bucket()).map(BucketInfo::ref);
      boolean sourceMissing = e.kind() == StorageException.Kind.NO_SUCH_KEY
          || e.kind() == StorageException.Kind.NO_SUCH_BUCKET && authorized.isPresent()
          && store.bucket(op.bucket()).map(BucketInfo::ref).equals(authorized);
      throw StorageErrors.translate(e, sourceMissing ? op.source().bucket() : op.bucket(), sourceMissing ? op.source().key() : op.key());
    }
    S3Response r = S3Response.xml(new CopyObjectResult(info.etag(), info.lastModified(), info.checksum()));
    if (info.checksum() != null) {
      r.header(info.checksum().algorithm().headerName(), info.checksum().wireValue());
    }
    return r;
  }

  static ChecksumAlgorithm checksumAlgorithm(Call call) {
    String name = call.headers().get("x-amz-checksum-algorithm");
    if (name == null) {
      return null;
    }
    ChecksumAlgorithm alg = ChecksumAlgorithm.fromS3Name(name.trim());
    if (alg == null) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "Checksum algorithm " + name.toUpperCase(Locale.ROOT) + " is not supported.");
    }
    return alg;
  }

  /** GetObjectAttributes (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html). */
  public S3Response attributes(Call call, GetObjectAttributes op) {
    ObjectInfo info;
    try {
      info = store.head(op.bucket(), op.key()).orElseThrow(() -> new StorageException(StorageException.Kind.NO_SUCH_KEY, op.key()));
    } catch (StorageException e) {
      throw StorageErrors.translate(e, op.bucket(), op.key());
    }
    GetObjectAttributesResponse.ObjectParts parts = null;
    if (op.attributes().contains(ObjectAttribute.OBJECT_PARTS) && info.isMultipart()) {
      List<GetObjectAttributesResponse.Part> page = new ArrayList<>();
      int next = 0;
      boolean truncated = false;
      for (PartSummary p : info.parts()) {
        if (p.partNumber() <= op.partNumberMarker()) {
          continue;
        }
        if (page.size() == op.maxParts()) {
          truncated = true;
          break;
        }
        page.add(new GetObjectAttributesResponse.Part(p.partNumber(), p.size(), p.checksum()));
        next = p.partNumber();
      }
      parts = new GetObjectAttributesResponse.ObjectParts(info.parts().size(), op.partNumberMarker(), next, op.maxParts(), truncated, page);
    }
    GetObjectAttributesResponse doc = new GetObjectAttributesResponse(
        op.attributes().contains(ObjectAttribute.ETAG) ? info.etag() : null,
        op.attributes().contains(ObjectAttribute.CHECKSUM) ? info.checksum() : null,
        parts,
        op.attributes().contains(ObjectAttribute.STORAGE_CLASS) ? "STANDARD" : null,
        op.attributes().contains(ObjectAttribute.OBJECT_SIZE) ? info.size() : null);
    return S3Response.xml(doc).header("Last-Modified", ObjectHeaders.httpDate(info.lastModified()));
  }
}
