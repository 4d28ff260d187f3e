package io.tarn.storage.objects;

import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import io.tarn.storage.meta.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoding of an ACL's grants inside the records that hold one (a bucket's ACL record, an object's
 * or an upload's record): a count, then per grant a grantee kind (1: user, its id; 2: group, its URI)
 * and the permission by name, so that reordering the enums never changes stored meaning.
 */
public final class AclFields {
  private static final int USER = 1;
  private static final int GROUP = 2;

  private AclFields() {}

  public static void write(Codec.Out out, List<Grant> grants) {
    out.varint(grants.size());
    for (Grant g : grants) {
      if (g.grantee() instanceof Grantee.User u) {
        out.u8(USER).string(u.id());
      } else {
        out.u8(GROUP).string(((Grantee.Group) g.grantee()).uri());
      }
      out.string(g.permission().name());
    }
  }

  public static List<Grant> read(Codec.In in) {
    int n = in.count(10_000);
    List<Grant> grants = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int kind = in.u8();
      Grantee grantee;
      if (kind == USER) {
        grantee = new Grantee.User(in.requiredString());
      } else if (kind == GROUP) {
        String uri = in.requiredString();
        grantee = Grantee.Group.fromUri(uri);
        if (grantee == null) {
          throw in.corrupt("unknown group " + uri);
        }
      } else {
        throw in.corrupt("unknown grantee kind " + kind);
      }
      String name = in.requiredString();
      AclPermission p = AclPermission.fromS3(name);
      if (p == null) {
        throw in.corrupt("unknown permission " + name);
      }
      grants.add(new Grant(grantee, p));
    }
    return grants;
  }

  /** Grants that may be absent (a record of an earlier format, which had no ACL): a flag first. */
  public static void writeOptional(Codec.Out out, List<Grant> grants) {
    out.bool(grants != null);
    if (grants != null) {
      write(out, grants);
    }
  }

  public static List<Grant> readOptional(Codec.In in) {
    return in.bool() ? read(in) : null;
  }
}
