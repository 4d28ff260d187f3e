package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.xml.OwnershipControls;
import io.tarn.s3.xml.XmlBodyParser;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageException;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.ObjectOwnership;
import java.util.Map;

/**
 * The ACL subresources ({@code ?acl} on buckets and objects) and {@code ?ownershipControls}. Who may
 * call them is the {@link Authorizer}'s: READ_ACP to read an ACL, WRITE_ACP to write one, the bucket
 * owner for ownership controls.
 */
public final class AclOps {
  private static final XmlBodyParser XML = new XmlBodyParser();

  private final ObjectStore store;
  private final IdentityStore identity;
  private final Acls acls;

  public AclOps(ObjectStore store, IdentityStore identity, Acls acls) {
    this.store = store;
    this.identity = identity;
    this.acls = acls;
  }

  /** GetBucketAcl (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html): the real owner and grants. */
  public S3Response getBucketAcl(Call call, String bucket) {
    try {
      return S3Response.xml(acls.toPolicy(identity.bucketAcl(bucket)));
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
  }

  /** PutBucketAcl (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html). */
  public S3Response putBucketAcl(Call call, String bucket, byte[] body) {
    AclRequest request = requested(call, bucket, body);
    try {
      identity.setBucketAcl(bucket, request);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.ok();
  }

  /**
   * GetObjectAcl (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html). With ACLs
   * disabled it shows the bucket owner's full control whatever the object kept from before, as S3 does
   * ("Requests to read ACLs always return a response that shows full control for the bucket owner",
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html).
   */
  public S3Response getObjectAcl(Call call, String bucket, String key) {
    try {
      BucketInfo b = bucket(bucket);
      ObjectInfo info = store.head(bucket, key)
          .orElseThrow(() -> new StorageException(StorageException.Kind.NO_SUCH_KEY, key));
      Acl acl = b.effectiveOwnership().aclsEnabled() ? info.acl() : Acl.privateTo(b.ownerId());
      return S3Response.xml(acls.toPolicy(acl));
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, key);
    }
  }

  /** PutObjectAcl (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html): the owner stays. */
  public S3Response putObjectAcl(Call call, String bucket, String key, byte[] body) {
    AclRequest request = requested(call, bucket, body);
    try {
      store.setObjectAcl(bucket, key, request);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, key);
    }
    return S3Response.ok();
  }

  /**
   * The ACL a Put*Acl asks for: by headers ({@code x-amz-acl} or {@code x-amz-grant-*}) or by an
   * {@code AccessControlPolicy} body, not both (UnexpectedContent: AWS documents the two as
   * alternatives; what it answers to both is not documented, and refusing keeps either from being
   * silently dropped). With neither, MissingSecurityHeader, as AWS answers.
   */
  private AclRequest requested(Call call, String bucket, byte[] body) {
    boolean byHeaders = Acls.hasAclHeaders(call.headers());
    if (byHeaders && body.length > 0) {
      throw new S3Exception(S3Error.UNEXPECTED_CONTENT,
          "An ACL is set either by the x-amz-acl or x-amz-grant-* headers or by an AccessControlPolicy body, not both.");
    }
    if (byHeaders) {
      return acls.fromHeaders(bucket, call.headers());
    }
    if (body.length == 0) {
      throw new S3Exception(S3Error.MISSING_SECURITY_HEADER, S3Error.MISSING_SECURITY_HEADER.defaultMessage(),
          Map.of("MissingHeaderName", "x-amz-acl"));
    }
    return acls.fromPolicy(bucket, XML.accessControlPolicy(body));
  }

  /**
   * GetBucketOwnershipControls: OwnershipControlsNotFoundError for a bucket without a setting (one
   * created without {@code x-amz-object-ownership} before this build, or after
   * DeleteBucketOwnershipControls), as S3 answers
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketOwnershipControls.html).
   */
  public S3Response getOwnership(Call call, String bucket) {
    BucketInfo b = bucket(bucket);
    if (b.ownership() == null) {
      throw new S3Exception(S3Error.OWNERSHIP_CONTROLS_NOT_FOUND_ERROR,
          S3Error.OWNERSHIP_CONTROLS_NOT_FOUND_ERROR.defaultMessage(), Map.of("BucketName", bucket));
    }
    return S3Response.xml(new OwnershipControls(b.ownership().s3Name()));
  }

  /** PutBucketOwnershipControls: an unknown setting is MalformedXML, as the schema refuses it. */
  public S3Response putOwnership(Call call, String bucket, byte[] body) {
    if (body.length == 0) {
      throw new S3Exception(S3Error.MISSING_REQUEST_BODY_ERROR);
    }
    String name = XML.ownershipControls(body);
    ObjectOwnership o = ObjectOwnership.fromS3(name);
    if (o == null) {
      throw new S3Exception(S3Error.MALFORMED_XML,
          "ObjectOwnership must be BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, not " + name + ".");
    }
    return setOwnership(bucket, o);
  }

  /** DeleteBucketOwnershipControls: the bucket then behaves as ObjectWriter. */
  public S3Response deleteOwnership(Call call, String bucket) {
    setOwnership(bucket, null);
    return S3Response.noContent();
  }

  private S3Response setOwnership(String bucket, ObjectOwnership o) {
    try {
      store.setOwnership(bucket, o);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
    return S3Response.ok();
  }

  /**
   * {@code x-amz-object-ownership} of CreateBucket, or {@code fallback} without one.
   *
   * @throws S3Exception InvalidArgument for an unknown value
   */
  static ObjectOwnership requestedOwnership(Call call, ObjectOwnership fallback) {
    String v = call.headers().get("x-amz-object-ownership");
    if (v == null) {
      return fallback;
    }
    ObjectOwnership o = ObjectOwnership.fromS3(v.trim());
    if (o == null) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid x-amz-object-ownership header: " + v,
          Map.of("ArgumentName", "x-amz-object-ownership", "ArgumentValue", v));
    }
    return o;
  }

  private BucketInfo bucket(String name) {
    return store.bucket(name).orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_BUCKET,
        S3Error.NO_SUCH_BUCKET.defaultMessage(), Map.of("BucketName", name)));
  }
}
