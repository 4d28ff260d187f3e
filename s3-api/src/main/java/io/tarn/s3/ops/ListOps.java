package io.tarn.s3.ops;

import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.route.S3Operation.ListObjects;
import io.tarn.s3.route.S3Operation.ListObjectsV2;
import io.tarn.s3.xml.ListObjectsResult;
import io.tarn.s3.xml.ListObjectsV2Result;
import io.tarn.s3.xml.ObjectEntry;
import io.tarn.s3.xml.Owner;
import io.tarn.storage.ListPage;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * ListObjects and ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
 * Keys are listed in UTF-8 byte order.
 */
public final class ListOps {
  private static final String TOKEN_VERSION = "1:";

  private final ObjectStore store;
  private final Owners owners;

  public ListOps(ObjectStore store, Owners owners) {
    this.store = store;
    this.owners = owners;
  }

  public S3Response listV1(Call call, ListObjects op) {
    ListPage page = list(op.bucket(), op.prefix(), op.delimiter(), op.marker(), op.maxKeys());
    String nextMarker = page.truncated() && op.delimiter() != null ? page.nextMarker() : null;
    return S3Response.xml(new ListObjectsResult(op.bucket(), op.prefix(), op.marker(), nextMarker, op.maxKeys(),
        op.delimiter(), op.urlEncoding(), page.truncated(), entries(page, true), page.commonPrefixes()));
  }

  public S3Response listV2(Call call, ListObjectsV2 op) {
    String after = op.continuationToken() != null ? decodeToken(op.continuationToken()) : op.startAfter();
    ListPage page = list(op.bucket(), op.prefix(), op.delimiter(), after, op.maxKeys());
    String next = page.truncated() ? encodeToken(page.nextMarker()) : null;
    return S3Response.xml(new ListObjectsV2Result(op.bucket(), op.prefix(), op.startAfter(), op.continuationToken(), next,
        op.maxKeys(), op.delimiter(), op.urlEncoding(), page.truncated(), entries(page, op.fetchOwner()),
        page.commonPrefixes()));
  }

  private ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
    try {
      return store.list(bucket, prefix, delimiter, after, maxKeys);
    } catch (StorageException e) {
      throw StorageErrors.translate(e, bucket, null);
    }
  }

  private List<ObjectEntry> entries(ListPage page, boolean withOwner) {
    List<ObjectEntry> out = new ArrayList<>(page.objects().size());
    for (ObjectInfo o : page.objects()) {
      out.add(ObjectEntry.of(o, withOwner ? new Owner(o.ownerId(), owners.displayName(o.ownerId())) : null));
    }
    return out;
  }

  /** Continuation tokens are opaque to clients: a versioned, base64url form of the resume point. */
  static String encodeToken(String after) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((TOKEN_VERSION + after).getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith(TOKEN_VERSION)) {
        return s.substring(TOKEN_VERSION.length());
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new S3Exception(S3Error.INVALID_ARGUMENT, "The continuation token provided is incorrect",
        java.util.Map.of("ArgumentName", "continuation-token"));
  }
}
