package io.tarn.console.admin;

import io.tarn.console.ApiException;
import io.tarn.console.Json;
import io.tarn.core.RequestContext;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ListPage;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.Permission;
import io.tarn.storage.StorageException;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.UploadsPage;
import io.tarn.storage.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code /buckets} endpoints. Admins may do everything; a bucket's owner may show it, grant and
 * revoke (it decides who else may use it) and delete it, forced or not; chown stays with admins. The
 * listing shows each caller the buckets it owns or was granted (admins: all), as S3's ListBuckets does.
 */
final class BucketsHandler {
  /** Listing page size while emptying a bucket: S3's maximum, so one page is one bounded read. */
  private static final int PAGE = 1000;
  /**
   * Rounds of emptying a forced delete tries: objects written while it runs make the final delete
   * fail, and an endless race with a busy writer must end in an answer.
   */
  private static final int FORCE_ROUNDS = 3;

  private final ObjectStore store;
  private final IdentityStore identity;
  private final Directory directory;

  BucketsHandler(ObjectStore store, IdentityStore identity, Directory directory) {
    this.store = store;
    this.identity = identity;
    this.directory = directory;
  }

  record PatchBucket(String owner) {}

  record PutGrant(String permission) {}

  ApiResponse list(Call c) {
    Function<String, String> names = directory.allNames();
    List<Views.Bucket> buckets = new ArrayList<>();
    for (BucketInfo b : store.listBuckets()) {
      try {
        Optional<String> access = directory.access(b, c.caller());
        if (access.isPresent()) {
          buckets.add(directory.bucketView(b, names, access.get()));
        }
      } catch (StorageException e) {
        // Deleted between the listing and its scan: leave it out.
        if (e.kind() != StorageException.Kind.NO_SUCH_BUCKET) {
          throw e;
        }
      }
    }
    return Json.response(200, new Views.Buckets(buckets));
  }

  ApiResponse get(Call c) {
    return show(ownedOrAdmin(c).name(), c);
  }

  /** The bucket of the request, which the caller must own unless it is an admin. */
  private BucketInfo ownedOrAdmin(Call c) {
    BucketInfo bucket = directory.bucket(c.param("bucket"));
    if (!c.isAdmin() && !bucket.ownerId().equals(c.caller().userId())) {
      throw ApiException.denied("only the owner of bucket " + bucket.name() + " or an admin may do this");
    }
    return bucket;
  }

  ApiResponse patch(Call c) {
    PatchBucket body = Json.read(c.body(), PatchBucket.class);
    if (body.owner() == null) {
      throw ApiException.invalid("\"owner\" is required");
    }
    BucketInfo bucket = directory.bucket(c.param("bucket"));
    UserInfo owner = directory.user(body.owner());
    identity.changeOwner(bucket.name(), owner.id());
    return show(bucket.name(), c);
  }

  ApiResponse putGrant(Call c) {
    PutGrant body = Json.read(c.body(), PutGrant.class);
    if (body.permission() == null) {
      throw ApiException.invalid("\"permission\" is required");
    }
    Permission permission = Directory.parsePermission(body.permission());
    BucketInfo bucket = ownedOrAdmin(c);
    identity.grant(bucket.name(), directory.user(c.param("user")).id(), permission);
    return show(bucket.name(), c);
  }

  ApiResponse deleteGrant(Call c) {
    BucketInfo bucket = ownedOrAdmin(c);
    identity.revoke(bucket.name(), directory.user(c.param("user")).id());
    return show(bucket.name(), c);
  }

  /**
   * Deletes the bucket, after emptying it with {@code force=true}: the owner's and admins' right, as
   * S3's DeleteBucket is in Tarn (s3-api's Authorizer needs OWNER for it; AWS: "Only the owner of a
   * bucket can delete it, regardless of the bucket's access control policy", in the AWS SDK for .NET's
   * DeleteBucket reference; https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html asks
   * for the s3:DeleteBucket permission, which no Tarn grant gives): a grant, even read-write, does not.
   */
  ApiResponse delete(Call c) {
    boolean force = force(c);
    String name = ownedOrAdmin(c).name();
    for (int round = 1; ; round++) {
      if (force) {
        empty(name, c.context());
      }
      try {
        store.deleteBucket(name);
        return ApiResponse.noContent();
      } catch (StorageException e) {
        if (e.kind() != StorageException.Kind.BUCKET_NOT_EMPTY) {
          throw e;
        }
        if (!force) {
          throw ApiException.conflict("bucket " + name + " is not empty");
        }
        if (round == FORCE_ROUNDS) {
          throw ApiException.conflict("bucket " + name + " is not empty: objects are still being written to it");
        }
      }
    }
  }

  private ApiResponse show(String bucket, Call c) {
    BucketInfo b = directory.bucket(bucket);
    // After a chown by an admin the caller may no longer own it: "admin" then, as the listing says.
    String access = directory.access(b, c.caller()).orElse("admin");
    return Json.response(200, directory.bucketView(b, directory.nameLookup(), access));
  }

  private static boolean force(Call c) {
    String value = c.query("force").orElse("false");
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.invalid("\"force\" must be true or false");
    };
  }

  /**
   * Deletes every object, each as an ordinary delete by the caller (so it is logged and notified as
   * one), then aborts the in-progress multipart uploads.
   */
  private void empty(String bucket, RequestContext ctx) {
    String after = null;
    do {
      ListPage page = store.list(bucket, "", null, after, PAGE);
      for (ObjectInfo o : page.objects()) {
        store.delete(bucket, o.key(), ctx);
      }
      after = next(page.truncated(), after, page.nextMarker());
    } while (after != null);

    String keyMarker = null;
    String uploadMarker = null;
    while (true) {
      UploadsPage page = store.listUploads(bucket, "", null, keyMarker, uploadMarker, PAGE);
      for (UploadInfo u : page.uploads()) {
        abort(u);
      }
      boolean stuck = Objects.equals(keyMarker, page.nextKeyMarker())
          && Objects.equals(uploadMarker, page.nextUploadIdMarker());
      if (!page.truncated() || stuck) {
        return;
      }
      keyMarker = page.nextKeyMarker();
      uploadMarker = page.nextUploadIdMarker();
    }
  }

  private void abort(UploadInfo u) {
    try {
      store.abortUpload(u.bucket(), u.key(), u.uploadId());
    } catch (StorageException e) {
      // Completed or aborted by someone else meanwhile: gone either way.
      if (e.kind() != StorageException.Kind.NO_SUCH_UPLOAD) {
        throw e;
      }
    }
  }

  /** The next marker, or null when done; a marker that does not advance ends the loop rather than spin. */
  private static String next(boolean truncated, String current, String next) {
    return truncated && next != null && !next.equals(current) ? next : null;
  }
}
