package io.tarn.s3.xml;

import java.util.List;

/**
 * An ACL document, both the GetBucketAcl/GetObjectAcl response and the PutBucketAcl/PutObjectAcl
 * request body (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html). Tarn keeps
 * buckets owner-only (bucket-owner-enforced ownership), so it writes {@link #privateTo} and accepts
 * on input only what {@link #isPrivateTo} recognizes.
 *
 * @param owner the resource owner
 * @param grants the grants, in order
 */
public record AccessControlPolicy(Owner owner, List<Grant> grants) implements XmlResponse {
  static final String XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

  public AccessControlPolicy {
    grants = List.copyOf(grants);
  }

  /** S3 permission names. */
  public enum Permission {
    FULL_CONTROL,
    WRITE,
    WRITE_ACP,
    READ,
    READ_ACP
  }

  public record Grant(Grantee grantee, Permission permission) {}

  /**
   * A grantee; which fields are set depends on {@code type}.
   *
   * @param type {@code CanonicalUser} (id, displayName), {@code Group} (uri) or
   *     {@code AmazonCustomerByEmail} (emailAddress)
   */
  public record Grantee(String type, String id, String displayName, String uri, String emailAddress) {
    public static final String CANONICAL_USER = "CanonicalUser";

    public static Grantee canonicalUser(String id, String displayName) {
      return new Grantee(CANONICAL_USER, id, displayName, null, null);
    }
  }

  /** The only ACL Tarn has: FULL_CONTROL for the owner. */
  public static AccessControlPolicy privateTo(Owner owner) {
    return new AccessControlPolicy(owner,
        List.of(new Grant(Grantee.canonicalUser(owner.id(), owner.displayName()), Permission.FULL_CONTROL)));
  }

  /** Whether this ACL is exactly {@link #privateTo}{@code (ownerId)} (display names ignored). */
  public boolean isPrivateTo(String ownerId) {
    if (owner == null || !ownerId.equals(owner.id()) || grants.size() != 1) {
      return false;
    }
    Grant g = grants.get(0);
    return g.permission() == Permission.FULL_CONTROL && Grantee.CANONICAL_USER.equals(g.grantee().type())
        && ownerId.equals(g.grantee().id());
  }

  @Override
  public byte[] toXml() {
    XmlWriter w = XmlWriter.s3Document("AccessControlPolicy");
    owner.write(w, "Owner");
    w.start("AccessControlList");
    for (Grant g : grants) {
      Grantee e = g.grantee();
      w.start("Grant").start("Grantee", "xmlns:xsi", XSI_NAMESPACE, "xsi:type", e.type())
          .optional("ID", e.id()).optional("DisplayName", e.displayName())
          .optional("URI", e.uri()).optional("EmailAddress", e.emailAddress())
          .end()
          .element("Permission", g.permission().name())
          .end();
    }
    return w.end().toBytes();
  }
}
