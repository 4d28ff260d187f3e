package io.tarn.console.webhooks;

import io.tarn.console.ApiException;
import io.tarn.core.Principal;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketRef;
import io.tarn.storage.ObjectStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may configure a bucket's webhooks: its owner or an admin (DESIGN.md, "Users and access").
 * A grant on the bucket is not enough: a webhook sends the bucket's keys and metadata elsewhere.
 */
final class BucketGate {
  private final ObjectStore store;

  BucketGate(ObjectStore store) {
    this.store = store;
  }

  /**
   * The bucket once {@code caller} may manage it: the incarnation it was authorized against, which
   * writes of rules name (a bucket deleted and created again by someone else is not this one).
   *
   * @throws ApiException NotFound for no such bucket, AccessDenied for anyone but its owner or an admin
   */
  BucketRef require(Principal caller, String bucket) {
    BucketInfo b = store.bucket(bucket).orElseThrow(() -> ApiException.notFound("bucket " + bucket + " not found"));
    if (!caller.isAdmin() && !b.ownerId().equals(caller.userId())) {
      throw ApiException.denied("only the owner of bucket " + bucket + " or an admin may manage its webhooks");
    }
    return b.ref();
  }

  /** The canonical id of the bucket's owner (the gate has been passed), or null if it is gone meanwhile. */
  String ownerId(String bucket) {
    return store.bucket(bucket).map(BucketInfo::ownerId).orElse(null);
  }

  /** The buckets {@code caller} may manage, by name: all for an admin, else those it owns. */
  List<String> manageable(Principal caller) {
    List<String> out = new ArrayList<>();
    for (BucketInfo b : store.listBuckets()) {
      if (caller.isAdmin() || b.ownerId().equals(caller.userId())) {
        out.add(b.name());
      }
    }
    return out;
  }
}
