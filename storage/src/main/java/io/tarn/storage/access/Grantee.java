package io.tarn.storage.access;

import io.tarn.core.Principal;
import java.util.Objects;

/**
 * Who an ACL grant is for: a Tarn user by canonical id, or one of S3's predefined groups
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee). An
 * e-mail grantee is resolved to its user when the ACL is put, as S3 does: the stored ACL and the
 * ACL read back name the canonical user.
 */
public sealed interface Grantee permits Grantee.User, Grantee.Group {
  /** Whether {@code caller} is, or is a member of, this grantee. */
  boolean includes(Principal caller);

  /** A user by canonical id (64 lower-case hex digits). */
  record User(String id) implements Grantee {
    public User {
      Objects.requireNonNull(id, "id");
    }

    @Override
    public boolean includes(Principal caller) {
      return !caller.isAnonymous() && id.equals(caller.userId());
    }
  }

  /** S3's predefined groups, named on the wire by their URIs. */
  enum Group implements Grantee {
    /** Everyone, signed requests or not: a grant to it makes the resource public. */
    ALL_USERS("http://acs.amazonaws.com/groups/global/AllUsers"),
    /**
     * Every signed request. On AWS it is any AWS account, not only the owner's: in Tarn, any user of
     * this server. A grant to it counts as public, as on AWS
     * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
     */
    AUTHENTICATED_USERS("http://acs.amazonaws.com/groups/global/AuthenticatedUsers"),
    /**
     * S3's server access log writer. Tarn has no such writer, so the group is kept and shown but
     * includes no caller.
     */
    LOG_DELIVERY("http://acs.amazonaws.com/groups/s3/LogDelivery");

    private final String uri;

    Group(String uri) {
      this.uri = uri;
    }

    public String uri() {
      return uri;
    }

    /** The group with this URI, or null. */
    public static Group fromUri(String uri) {
      for (Group g : values()) {
        if (g.uri.equals(uri)) {
          return g;
        }
      }
      return null;
    }

    @Override
    public boolean includes(Principal caller) {
      switch (this) {
        case ALL_USERS:
          return true;
        case AUTHENTICATED_USERS:
          return !caller.isAnonymous();
        default:
          return false;
      }
    }
  }
}
