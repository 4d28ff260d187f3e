package io.tarn.s3.ops;

import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.xml.AccessControlPolicy;
import io.tarn.s3.xml.Owner;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.access.Acl;
import io.tarn.storage.access.AclPermission;
import io.tarn.storage.access.AclRequest;
import io.tarn.storage.access.CannedAcl;
import io.tarn.storage.access.Grant;
import io.tarn.storage.access.Grantee;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * S3's ways of writing an ACL, read into and written from the storage model: the {@code x-amz-acl}
 * and {@code x-amz-grant-*} headers and the {@code AccessControlPolicy} document
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html). Grantees are checked
 * against Tarn's users when the ACL is put, as S3 checks them against its accounts; a grantee by e-mail
 * address becomes the user with that address.
 */
public final class Acls {
  /** The grant headers and the permission each grants. */
  private static final Map<String, AclPermission> GRANT_HEADERS = Map.of(
      "x-amz-grant-read", AclPermission.READ,
      "x-amz-grant-write", AclPermission.WRITE,
      "x-amz-grant-read-acp", AclPermission.READ_ACP,
      "x-amz-grant-write-acp", AclPermission.WRITE_ACP,
      "x-amz-grant-full-control", AclPermission.FULL_CONTROL);
  /** In the order S3 lists the headers, so the grants read back in a stable order. */
  private static final List<String> GRANT_ORDER = List.of("x-amz-grant-full-control", "x-amz-grant-read",
      "x-amz-grant-read-acp", "x-amz-grant-write", "x-amz-grant-write-acp");

  private final IdentityStore identity;
  private final Owners owners;
  private final Predicate<String> blocksPublicAcls;

  /** Without a public access block (tests of the ACL rules alone). */
  public Acls(IdentityStore identity, Owners owners) {
    this(identity, owners, bucket -> false);
  }

  /**
   * @param blocksPublicAcls whether the public access block in force on a bucket (its own or the
   *     server's) has BlockPublicAcls: then a request setting a public ACL on it or its objects is refused
   */
  public Acls(IdentityStore identity, Owners owners, Predicate<String> blocksPublicAcls) {
    this.identity = identity;
    this.owners = owners;
    this.blocksPublicAcls = blocksPublicAcls;
  }

  /**
   * The ACL a request's headers ask for on {@code bucket} or one of its objects.
   *
   * @throws S3Exception as {@link #fromHeaders(HttpHeaders)}; AccessDenied for a public ACL while the
   *     bucket's public access block has BlockPublicAcls, as S3 answers
   */
  public AclRequest fromHeaders(String bucket, HttpHeaders headers) {
    return unblocked(bucket, fromHeaders(headers));
  }

  /** The ACL a Put*Acl document asks for on {@code bucket} or one of its objects; refused as above. */
  public AclRequest fromPolicy(String bucket, AccessControlPolicy policy) {
    return unblocked(bucket, fromPolicy(policy));
  }

  private AclRequest unblocked(String bucket, AclRequest acl) {
    if (acl.isPublic() && blocksPublicAcls.test(bucket)) {
      throw new S3Exception(S3Error.ACCESS_DENIED, "Access Denied");
    }
    return acl;
  }

  /**
   * The ACL a request's headers ask for: {@link AclRequest#NONE} without any.
   *
   * @throws S3Exception InvalidArgument for an unknown canned ACL or a bad grant; InvalidRequest when
   *     both a canned ACL and grant headers are sent ("Specifying both Canned ACLs and Header Grants is
   *     not allowed", as S3 answers); UnresolvableGrantByEmailAddress
   */
  AclRequest fromHeaders(HttpHeaders headers) {
    String canned = headers.get("x-amz-acl");
    boolean anyGrant = GRANT_ORDER.stream().anyMatch(headers::contains);
    if (canned != null && anyGrant) {
      throw new S3Exception(S3Error.INVALID_REQUEST, "Specifying both Canned ACLs and Header Grants is not allowed");
    }
    if (canned != null) {
      CannedAcl c = CannedAcl.fromHeader(canned.trim());
      if (c == null) {
        throw new S3Exception(S3Error.INVALID_ARGUMENT, S3Error.INVALID_ARGUMENT.defaultMessage(),
            Map.of("ArgumentName", "x-amz-acl", "ArgumentValue", canned));
      }
      return AclRequest.canned(c);
    }
    if (!anyGrant) {
      return AclRequest.NONE;
    }
    List<Grant> grants = new ArrayList<>();
    for (String name : GRANT_ORDER) {
      for (String value : headers.getAll(name)) {
        for (Grantee g : granteesOf(name, value)) {
          grants.add(new Grant(g, GRANT_HEADERS.get(name)));
        }
      }
    }
    return AclRequest.grants(checked(grants));
  }

  /** Whether the request sets an ACL by header (then a PutBucketAcl/PutObjectAcl body is refused). */
  public static boolean hasAclHeaders(HttpHeaders headers) {
    return headers.contains("x-amz-acl") || GRANT_ORDER.stream().anyMatch(headers::contains);
  }

  /**
   * The grants of an {@code AccessControlPolicy} document (its Owner is the resource's, which a put
   * cannot change: S3 ignores it as long as it is there).
   *
   * @throws S3Exception MalformedACLError for an unknown grantee type or more than 100 grants;
   *     InvalidArgument for an unknown user id or group; UnresolvableGrantByEmailAddress
   */
  AclRequest fromPolicy(AccessControlPolicy policy) {
    List<Grant> grants = new ArrayList<>();
    for (AccessControlPolicy.Grant g : policy.grants()) {
      AccessControlPolicy.Grantee e = g.grantee();
      Grantee grantee = switch (e.type()) {
        case AccessControlPolicy.Grantee.CANONICAL_USER -> user(e.id());
        case AccessControlPolicy.Grantee.GROUP -> group(e.uri());
        case AccessControlPolicy.Grantee.BY_EMAIL -> byEmail(e.emailAddress());
        default -> throw new S3Exception(S3Error.MALFORMED_ACL_ERROR,
            "Unknown grantee type " + e.type() + ": CanonicalUser, Group or AmazonCustomerByEmail.");
      };
      grants.add(new Grant(grantee, AclPermission.valueOf(g.permission().name())));
    }
    return AclRequest.grants(checked(grants));
  }

  /** The document GetBucketAcl / GetObjectAcl answer with: the real owner and every grant. */
  public AccessControlPolicy toPolicy(Acl acl) {
    List<AccessControlPolicy.Grant> out = new ArrayList<>();
    for (Grant g : acl.grants()) {
      AccessControlPolicy.Grantee e = g.grantee() instanceof Grantee.User u
          ? AccessControlPolicy.Grantee.canonicalUser(u.id(), owners.displayName(u.id()))
          : AccessControlPolicy.Grantee.group(((Grantee.Group) g.grantee()).uri());
      out.add(new AccessControlPolicy.Grant(e, AccessControlPolicy.Permission.valueOf(g.permission().name())));
    }
    return new AccessControlPolicy(new Owner(acl.ownerId(), owners.displayName(acl.ownerId())), out);
  }

  private static List<Grant> checked(List<Grant> grants) {
    if (grants.size() > Acl.MAX_GRANTS) {
      throw new S3Exception(S3Error.MALFORMED_ACL_ERROR, "An ACL can have at most " + Acl.MAX_GRANTS + " grants.");
    }
    return grants;
  }

  /**
   * The grantees of one {@code x-amz-grant-*} header: comma-separated {@code type="value"} pairs,
   * type {@code id}, {@code uri} or {@code emailAddress}
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_RequestSyntax).
   */
  private List<Grantee> granteesOf(String header, String value) {
    List<Grantee> out = new ArrayList<>();
    for (String item : splitOutsideQuotes(value)) {
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw badGrant(header, value);
      }
      String type = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String v = item.substring(eq + 1).trim();
      if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
        v = v.substring(1, v.length() - 1);
      }
      out.add(switch (type) {
        case "id" -> user(v);
        case "uri" -> group(v);
        case "emailaddress" -> byEmail(v);
        default -> throw badGrant(header, value);
      });
    }
    if (out.isEmpty()) {
      throw badGrant(header, value);
    }
    return out;
  }

  private static List<String> splitOutsideQuotes(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char ch : s.toCharArray()) {
      if (ch == '"') {
        quoted = !quoted;
      }
      if (ch == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString());
    }
    return out;
  }

  private static S3Exception badGrant(String header, String value) {
    return new S3Exception(S3Error.INVALID_ARGUMENT, S3Error.INVALID_ARGUMENT.defaultMessage(),
        Map.of("ArgumentName", header, "ArgumentValue", value));
  }

  /** A canonical user id must name a Tarn user: S3 answers InvalidArgument "Invalid id" otherwise. */
  private Grantee user(String id) {
    if (id == null || !id.matches("[0-9a-f]{64}") || identity.user(id).filter(u -> u.id().equals(id)).isEmpty()) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid id",
          Map.of("ArgumentName", "CanonicalUser/ID", "ArgumentValue", id == null ? "" : id));
    }
    return new Grantee.User(id);
  }

  private static Grantee group(String uri) {
    Grantee.Group g = uri == null ? null : Grantee.Group.fromUri(uri.trim());
    if (g == null) {
      throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid group uri",
          Map.of("ArgumentName", "Group/URI", "ArgumentValue", uri == null ? "" : uri));
    }
    return g;
  }

  /**
   * An e-mail grantee ({@code emailAddress="..."} in a grant header, {@code AmazonCustomerByEmail} in a
   * document) is the Tarn user with that address, compared case-insensitively. S3 "finds the canonical
   * user ID for that account and adds it to the ACL. The resulting ACLs always contain the canonical user
   * ID for the account, not the email address"
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee), so the
   * grant is stored as a CanonicalUser one and Get*Acl shows it with the user's ID and DisplayName; a
   * later change of the user's address does not change the grant. An address no user has is
   * UnresolvableGrantByEmailAddress, "The email address you provided does not match any account on
   * record" (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList). S3's
   * AmbiguousGrantByEmailAddress cannot happen: Tarn addresses are unique. AWS itself ended e-mail
   * grantees on October 1, 2025 (405 since, API_PutObjectAcl.html); Tarn keeps them for the tools that
   * still send them, such as s3cmd's --acl-grant=PERM:ADDR (docs/access/acls.md).
   */
  private Grantee byEmail(String email) {
    String address = email == null ? "" : email.trim();
    return identity.userByEmail(address).<Grantee>map(u -> new Grantee.User(u.id()))
        .orElseThrow(() -> new S3Exception(S3Error.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS,
            S3Error.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS.defaultMessage(), Map.of("EmailAddressProvided", address)));
  }
}
