package io.tarn.s3.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.CompletedPart;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlBodyParserTest {
  private final XmlBodyParser parser = new XmlBodyParser();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private S3Error deleteError(String xml) {
    return assertThrows(S3Exception.class, () -> parser.delete(utf8(xml)), xml).error();
  }

  private S3Error deleteError(byte[] body) {
    return assertThrows(S3Exception.class, () -> parser.delete(body)).error();
  }

  @Test
  void deleteRequest() {
    Delete d = parser.delete(Golden.bytes("delete-request.xml"));
    assertTrue(d.quiet());
    assertEquals(List.of(
        new Delete.ObjectIdentifier("sample1.txt", null, null),
        new Delete.ObjectIdentifier("sample2.txt", "OYcLXagmS.WaD..oyH4KRguB95_YhLs7", "fba9dede5f27731c9771645a39863328",
            "434234", null),
        new Delete.ObjectIdentifier(" a&b <c> € ", null, null)), d.objects());
  }

  @Test
  void deleteConditionsAreKeptAsSent() {
    Delete d = parser.delete(utf8("<Delete><Object><Key>k</Key><ETag>\"abc\"</ETag><Size>12</Size>"
        + "<LastModifiedTime>Wed, 01 Jan 2025 00:00:00 GMT</LastModifiedTime></Object></Delete>"));
    assertEquals(List.of(new Delete.ObjectIdentifier("k", null, "abc", "12", "Wed, 01 Jan 2025 00:00:00 GMT")),
        d.objects());
  }

  @Test
  void namespacesDoNotMatter() {
    String none = "<Delete><Object><Key>k</Key></Object></Delete>";
    String prefixed = "<s3:Delete xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\"><s3:Object><s3:Key>k</s3:Key>"
        + "</s3:Object></s3:Delete>";
    Delete expected = new Delete(false, List.of(new Delete.ObjectIdentifier("k", null, null)));
    assertEquals(expected, parser.delete(utf8(none)));
    assertEquals(expected, parser.delete(utf8(prefixed)));
  }

  @Test
  void deleteQuietVariants() {
    assertFalse(parser.delete(utf8("<Delete><Quiet>false</Quiet><Object><Key>k</Key></Object></Delete>")).quiet());
    assertTrue(parser.delete(utf8("<Delete><Quiet> TRUE </Quiet><Object><Key>k</Key></Object></Delete>")).quiet());
    assertEquals(S3Error.MALFORMED_XML, deleteError("<Delete><Quiet>maybe</Quiet><Object><Key>k</Key></Object></Delete>"));
  }

  @Test
  void deleteObjectCountIsBounded() {
    StringBuilder sb = new StringBuilder("<Delete>");
    for (int i = 0; i < Delete.MAX_OBJECTS; i++) {
      sb.append("<Object><Key>k").append(i).append("</Key></Object>");
    }
    assertEquals(Delete.MAX_OBJECTS, parser.delete(utf8(sb + "</Delete>")).objects().size());
    assertEquals(S3Error.MALFORMED_XML, deleteError(sb + "<Object><Key>one-too-many</Key></Object></Delete>"));
  }

  @Test
  void malformedDeleteDocuments() {
    for (String xml : List.of(
        "",
        "   ",
        "not xml at all",
        "<Delete></Delete>",
        "<Delete/>",
        "<Delete><Quiet>true</Quiet></Delete>",
        "<Delete><Object></Object></Delete>",
        "<Delete><Object><VersionId>v</VersionId></Object></Delete>",
        "<Delete><Object><Key>k</Key></Object>",
        "<Delete><Object><Key>k</Key></Object></Delete><Delete/>",
        "<Delete><Object><Key>k</Key></Object></Delete>trailing",
        "<Delete><Object><Key><b>nested</b></Key></Object></Delete>",
        "<Foo><Object><Key>k</Key></Object></Foo>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "<Delete><Object><Key>&undefined;</Key></Object></Delete>")) {
      assertEquals(S3Error.MALFORMED_XML, deleteError(xml), xml);
    }
  }

  @Test
  void invalidUtf8IsMalformed() {
    byte[] body = utf8("<Delete><Object><Key>k?</Key></Object></Delete>");
    body[22] = (byte) 0xC3; // a lead byte followed by '<'
    assertEquals(S3Error.MALFORMED_XML, deleteError(body));
  }

  @Test
  void completeMultipartUpload() {
    CompleteMultipartUpload c = parser.completeMultipartUpload(Golden.bytes("complete-multipart-upload-request.xml"));
    assertEquals(List.of(
        new CompleteMultipartUpload.Part(1, "a54357aff0632cce46d942af68356b38", Map.of(ChecksumAlgorithm.CRC32, "C63wDQ==")),
        new CompleteMultipartUpload.Part(2, "0c78aef83f66abc1fa1e8477f296d394", Map.of(ChecksumAlgorithm.CRC32, "AQIDBA==")),
        new CompleteMultipartUpload.Part(3, "acbd18db4cc2f85cedef654fccc4a4d8", Map.of())), c.parts());
    assertEquals(List.of(
        new CompletedPart(1, "a54357aff0632cce46d942af68356b38", "C63wDQ=="),
        new CompletedPart(2, "0c78aef83f66abc1fa1e8477f296d394", "AQIDBA=="),
        new CompletedPart(3, "acbd18db4cc2f85cedef654fccc4a4d8", null)), c.toCompletedParts(ChecksumAlgorithm.CRC32));
    assertNull(c.toCompletedParts(null).get(0).checksum());
    assertNull(c.toCompletedParts(ChecksumAlgorithm.SHA256).get(0).checksum());
  }

  @Test
  void malformedCompleteMultipartUpload() {
    for (String xml : List.of(
        "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<Delete><Object><Key>k</Key></Object></Delete>")) {
      assertEquals(S3Error.MALFORMED_XML,
          assertThrows(S3Exception.class, () -> parser.completeMultipartUpload(utf8(xml))).error(), xml);
    }
  }

  @Test
  void createBucketConfiguration() {
    assertEquals(new CreateBucketConfiguration("eu-west-1"),
        parser.createBucketConfiguration(Golden.bytes("create-bucket-configuration.xml")));
    assertEquals(new CreateBucketConfiguration(null),
        parser.createBucketConfiguration(utf8("<CreateBucketConfiguration/>")));
    assertEquals(S3Error.MALFORMED_XML, assertThrows(S3Exception.class,
        () -> parser.createBucketConfiguration(utf8("<LocationConstraint>x</LocationConstraint>"))).error());
  }

  @Test
  void accessControlPolicyRoundTrips() {
    Owner owner = new Owner("75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", "CustomersName@amazon.com");
    AccessControlPolicy acl = parser.accessControlPolicy(Golden.bytes("access-control-policy.xml"));
    assertEquals(new AccessControlPolicy(owner, List.of(new AccessControlPolicy.Grant(
        AccessControlPolicy.Grantee.canonicalUser(owner.id(), owner.displayName()),
        AccessControlPolicy.Permission.FULL_CONTROL))), acl);
  }

  @Test
  void groupGranteesKeepTheirUri() {
    String xml = "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList>"
        + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>o</ID>"
        + "</Grantee><Permission>FULL_CONTROL</Permission></Grant>"
        + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">"
        + "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
        + "</AccessControlList></AccessControlPolicy>";
    AccessControlPolicy acl = parser.accessControlPolicy(utf8(xml));
    assertEquals(new AccessControlPolicy.Grantee("Group", null, null, "http://acs.amazonaws.com/groups/global/AllUsers",
        null), acl.grants().get(1).grantee());
    assertEquals(AccessControlPolicy.Permission.READ, acl.grants().get(1).permission());
  }

  @Test
  void malformedAcls() {
    String grantee = "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
        + "<ID>o</ID></Grantee>";
    for (String xml : List.of(
        "<AccessControlPolicy><AccessControlList/></AccessControlPolicy>",
        "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant>" + grantee
            + "<Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>",
        "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant><Grantee><ID>o</ID></Grantee>"
            + "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>",
        "<AccessControlPolicy><Owner><ID>o</ID></Owner>",
        "<Delete/>")) {
      assertEquals(S3Error.MALFORMED_ACL_ERROR,
          assertThrows(S3Exception.class, () -> parser.accessControlPolicy(utf8(xml))).error(), xml);
    }
  }

  @Test
  void billionLaughsIsMalformed() {
    assertEquals(S3Error.MALFORMED_XML, deleteError(Golden.bytes("billion-laughs.xml")));
  }

  @Test
  void externalFileEntityIsNeverRead(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
        + "<Delete><Object><Key>&x;</Key></Object></Delete>";
    S3Exception e = assertThrows(S3Exception.class, () -> parser.delete(utf8(xml)));
    assertEquals(S3Error.MALFORMED_XML, e.error());
    assertFalse(String.valueOf(e.getMessage()).contains("TOP-SECRET"));
  }

  /** External DTDs and parameter entities are not fetched: the local server must see no request. */
  @Test
  void externalDtdIsNeverFetched() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] dtd = utf8("<!ENTITY x \"pwned\">");
      exchange.sendResponseHeaders(200, dtd.length);
      exchange.getResponseBody().write(dtd);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.dtd";
      String systemDtd = "<!DOCTYPE Delete SYSTEM \"" + url + "\"><Delete><Object><Key>&x;</Key></Object></Delete>";
      String parameterEntity = "<!DOCTYPE Delete [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>"
          + "<Delete><Object><Key>&x;</Key></Object></Delete>";
      String harmlessDoctype = "<!DOCTYPE Delete SYSTEM \"" + url + "\"><Delete><Object><Key>k</Key></Object></Delete>";
      for (String xml : List.of(systemDtd, parameterEntity, harmlessDoctype)) {
        assertEquals(S3Error.MALFORMED_XML, deleteError(xml), xml);
      }
    } finally {
      server.stop(0);
    }
    assertEquals(0, requests.get());
  }
}
