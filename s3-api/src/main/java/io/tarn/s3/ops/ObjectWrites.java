package io.tarn.s3.ops;

import io.netty.buffer.ByteBuf;
import io.tarn.core.EventName;
import io.tarn.core.S3Error;
import io.tarn.core.ObjectKeys;
import io.tarn.core.S3Exception;
import io.tarn.s3.xml.DeleteResult;
import io.tarn.s3.xml.Delete;
import io.tarn.s3.xml.XmlBodyParser;
import java.util.ArrayList;
import java.util.List;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.S3Response;
import io.tarn.core.Principal;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketRef;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.StorageException;
import io.tarn.storage.WriteCondition;

/** PutObject and DeleteObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). */
public final class ObjectWrites {
  private static final XmlBodyParser XML = new XmlBodyParser();

  /** Largest single PUT (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html). */
  public static final long MAX_PUT_SIZE = 5L << 30;

  private final ObjectStore store;
  private final Acls acls;

  public ObjectWrites(ObjectStore store, Acls acls) {
    this.acls = acls;
    this.store = store;
  }

  /**
   * Refuses, before a new object's body is read, an ACL that {@code bucket}'s Object Ownership does not
   * allow (AccessControlListNotSupported under BucketOwnerEnforced), as S3 answers at once rather than
   * after the upload: a client that sent {@code Expect: 100-continue} sends no body at all. The commit
   * decides again under the bucket's lock, in case the setting changes meanwhile.
   */
  static void admitAcl(BucketInfo bucket, AclRequest acl, Principal writer, String key) {
    try {
      acl.forObject(writer.userId(), bucket.ownerId(), bucket.effectiveOwnership());
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket.name(), key);
    }
  }

  /** Runs before the body is read: checks the bucket, metadata and headers, opens the upload. */
  public BodyConsumer put(Call call, String bucket, String key) {
    ObjectMetadata metadata = ObjectHeaders.fromRequest(call.headers());
    AclRequest acl = acls.fromHeaders(bucket, call.headers()); // a bad ACL is refused before the body is read
    WriteCondition condition = writeCondition(call);
    BucketRef ref;
    try {
      ref = call.bucketRef(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, key);
    }
    if (acl != AclRequest.NONE) {
      call.bucket(bucket).ifPresent(b -> admitAcl(b, acl, call.principal(), key));
    }
    PayloadReceiver receiver = PayloadReceiver.open(store, call, MAX_PUT_SIZE);
    return new BodyConsumer() {
      @Override
      public void onContent(ByteBuf content) {
        receiver.onContent(content);
      }

      @Override
      public S3Response onEnd() {
        try (receiver) {
          PayloadReceiver.Received body = receiver.finish();
          // Into the bucket the PUT was authorized against, not one created since under its name.
          ObjectInfo info = store.putObject(ref, key, body.upload(), metadata, body.checksum(), condition,
              EventName.OBJECT_CREATED_PUT, call.context(), acl);
          S3Response r = S3Response.ok().header("ETag", ObjectHeaders.quote(info.etag()));
          if (info.checksum() != null) {
            r.header(info.checksum().algorithm().headerName(), info.checksum().wireValue());
            r.header("x-amz-checksum-type", info.checksum().type());
          }
          return r;
        } catch (StorageException e) {
          throw StorageErrors.translate(e, bucket, key);
        }
      }

      @Override
      public void onAbort() {
        receiver.close();
      }
    };
  }

  /**
   * DeleteObject: 204 whether or not the key existed, unless a condition fails: If-Match (an ETag or
   * {@code *}), {@code x-amz-if-match-size}, {@code x-amz-if-match-last-modified-time}
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html,
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html): 412
   * PreconditionFailed, or 404 NoSuchKey for If-Match on a missing key. Storage checks them under the
   * key's lock, atomically with the delete.
   */
  public S3Response delete(Call call, String bucket, String key) {
    WriteCondition condition = deleteCondition(call.headers().get("If-Match"),
        call.headers().get("x-amz-if-match-size"), call.headers().get("x-amz-if-match-last-modified-time"));
    try {
      store.delete(call.bucketRef(bucket), key, condition, call.context());
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, key);
    }
    return S3Response.noContent();
  }

  /**
   * DeleteObjects (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html): up to
   * 1000 keys, each deleted (and its event committed) on its own; per-key failures are reported in
   * the result, quiet mode reports only failures. {@code authorize} checks each key against the
   * bucket's policy (s3:DeleteObject on that key); an AccessDenied is that key's failure alone.
   */
  public S3Response deleteObjects(Call call, String bucket, byte[] body, java.util.function.Consumer<String> authorize) {
    Delete request = XML.delete(body);
    BucketRef ref;
    try {
      ref = call.bucketRef(bucket);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    List<DeleteResult.Entry> entries = new ArrayList<>();
    for (Delete.ObjectIdentifier id : request.objects()) {
      try {
        ObjectKeys.validate(id.key());
        authorize.accept(id.key());
        if (id.versionId() != null && !id.versionId().equals("null")) {
          throw new S3Exception(S3Error.NO_SUCH_VERSION);
        }
        // Per-object conditions (ETag, Size, LastModifiedTime) fail only their own object.
        store.delete(ref, id.key(), deleteCondition(id.eTag(), id.size(), id.lastModifiedTime()), call.context());
        if (!request.quiet()) {
          entries.add(new DeleteResult.Deleted(id.key(), id.versionId()));
        }
      } catch (S3Exception e) {
        entries.add(new DeleteResult.Failed(id.key(), id.versionId(), e.error().code(), e.getMessage()));
      } catch (StorageException e) {
        S3Exception s3 = StorageErrors.translate(e, bucket, id.key());
        entries.add(new DeleteResult.Failed(id.key(), id.versionId(), s3.error().code(), s3.getMessage()));
      }
    }
    return S3Response.xml(new DeleteResult(entries));
  }

  /**
   * The conditions of a delete from their wire forms (headers of DeleteObject, elements of a
   * DeleteObjects entry), each {@code null} when absent.
   *
   * @throws S3Exception InvalidArgument for a size that is not a byte count or a time that is not a date
   */
  static WriteCondition deleteCondition(String ifMatch, String size, String lastModified) {
    Long matchSize = null;
    if (size != null) {
      try {
        matchSize = Long.parseLong(size.trim());
      } catch (NumberFormatException e) {
        matchSize = -1L;
      }
      if (matchSize < 0) {
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "The size condition must be a number of bytes: " + size);
      }
    }
    java.time.Instant matchTime = null;
    if (lastModified != null) {
      matchTime = Preconditions.parseDate(lastModified);
      if (matchTime == null) {
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "The last-modified-time condition must be a date: "
            + lastModified);
      }
    }
    String etag = ifMatch == null || ifMatch.isBlank() ? null : ObjectHeaders.unquote(ifMatch.trim());
    return WriteCondition.ofDelete(etag, matchSize, matchTime);
  }

  /**
   * {@code If-None-Match: *} and {@code If-Match} on writes
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
   */
  static WriteCondition writeCondition(Call call) {
    String ifNoneMatch = call.headers().get("If-None-Match");
    String ifMatch = call.headers().get("If-Match");
    if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
      throw new S3Exception(S3Error.NOT_IMPLEMENTED, "If-None-Match on writes supports only '*'.");
    }
    if (ifNoneMatch == null && ifMatch == null) {
      return WriteCondition.NONE;
    }
    return new WriteCondition(ifMatch == null ? null : ObjectHeaders.unquote(ifMatch), ifNoneMatch != null);
  }
}
