package io.tarn.s3.xml;

import java.util.List;

/**
 * An ACL document, both the GetBucketAcl/GetObjectAcl response and the PutBucketAcl/PutObjectAcl
 * request body (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAcl.html), as written
 * on the wire; {@code ops.Acls} turns it into storage's model and back.
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
    public static final String GROUP = "Group";
    public static final String BY_EMAIL = "AmazonCustomerByEmail";

    public static Grantee canonicalUser(String id, String displayName) {
      return new Grantee(CANONICAL_USER, id, displayName, null, null);
    }

    public static Grantee group(String uri) {
      return new Grantee(GROUP, null, null, uri, null);
    }
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
