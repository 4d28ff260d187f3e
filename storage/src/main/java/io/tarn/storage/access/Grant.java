package io.tarn.storage.access;

import java.util.Objects;

/** One entry of an ACL: a grantee and one permission. */
public record Grant(Grantee grantee, AclPermission permission) {
  public Grant {
    Objects.requireNonNull(grantee, "grantee");
    Objects.requireNonNull(permission, "permission");
  }
}
