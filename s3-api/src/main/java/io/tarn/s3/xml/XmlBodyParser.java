package io.tarn.s3.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses S3 request bodies into validated records. Anything that is not a well-formed document with
 * the expected root element and content is {@code MalformedXML} ({@code MalformedACLError} for
 * ACLs); a document type declaration is refused outright, since S3 documents never have one. The
 * caller caps the body size (1 MiB) before calling. Thread-safe.
 */
public final class XmlBodyParser {
  private final XMLInputFactory inputFactory = S3XmlMapper.hardenedInputFactory();
  private final XmlMapper mapper = S3XmlMapper.create();

  /** @throws S3Exception MalformedXML */
  public CreateBucketConfiguration createBucketConfiguration(byte[] body) {
    CreateBucketConfigurationDto dto = read(body, "CreateBucketConfiguration", CreateBucketConfigurationDto.class,
        S3Error.MALFORMED_XML);
    return new CreateBucketConfiguration(emptyToNull(dto.locationConstraint()));
  }

  /** @throws S3Exception MalformedXML, also for no objects or more than 1000 */
  public Delete delete(byte[] body) {
    DeleteDto dto = read(body, "Delete", DeleteDto.class, S3Error.MALFORMED_XML);
    if (dto.objects() == null || dto.objects().isEmpty() || dto.objects().size() > Delete.MAX_OBJECTS) {
      throw malformed(S3Error.MALFORMED_XML, "A Delete document must name 1 to " + Delete.MAX_OBJECTS + " objects.");
    }
    List<Delete.ObjectIdentifier> objects = new ArrayList<>(dto.objects().size());
    for (ObjectDto o : dto.objects()) {
      if (o == null || o.key() == null) {
        throw malformed(S3Error.MALFORMED_XML, "Every Object needs a Key.");
      }
      objects.add(new Delete.ObjectIdentifier(o.key(), emptyToNull(o.versionId()), unquote(emptyToNull(o.eTag())),
          emptyToNull(o.size()), emptyToNull(o.lastModifiedTime())));
    }
    return new Delete(bool(dto.quiet()), objects);
  }

  /** @throws S3Exception MalformedXML, also for no parts, more than 10000, or a bad PartNumber/ETag */
  public CompleteMultipartUpload completeMultipartUpload(byte[] body) {
    CompleteDto dto = read(body, "CompleteMultipartUpload", CompleteDto.class, S3Error.MALFORMED_XML);
    if (dto.parts() == null || dto.parts().isEmpty() || dto.parts().size() > CompleteMultipartUpload.MAX_PARTS) {
      throw malformed(S3Error.MALFORMED_XML,
          "A CompleteMultipartUpload document must name 1 to " + CompleteMultipartUpload.MAX_PARTS + " parts.");
    }
    List<CompleteMultipartUpload.Part> parts = new ArrayList<>(dto.parts().size());
    for (PartDto p : dto.parts()) {
      if (p == null || p.partNumber() == null || !p.partNumber().trim().matches("[0-9]{1,5}")
          || Integer.parseInt(p.partNumber().trim()) < 1 || Integer.parseInt(p.partNumber().trim()) > 10000
          || p.etag() == null || p.etag().isBlank()) {
        throw malformed(S3Error.MALFORMED_XML, "Every Part needs a PartNumber (1-10000) and an ETag.");
      }
      Map<ChecksumAlgorithm, String> checksums = new EnumMap<>(ChecksumAlgorithm.class);
      putIfPresent(checksums, ChecksumAlgorithm.CRC32, p.crc32());
      putIfPresent(checksums, ChecksumAlgorithm.CRC32C, p.crc32c());
      putIfPresent(checksums, ChecksumAlgorithm.CRC64NVME, p.crc64nvme());
      putIfPresent(checksums, ChecksumAlgorithm.SHA1, p.sha1());
      putIfPresent(checksums, ChecksumAlgorithm.SHA256, p.sha256());
      parts.add(new CompleteMultipartUpload.Part(Integer.parseInt(p.partNumber().trim()), unquote(p.etag().trim()),
          checksums));
    }
    return new CompleteMultipartUpload(parts);
  }

  /** @throws S3Exception MalformedACLError */
  public AccessControlPolicy accessControlPolicy(byte[] body) {
    AclDto dto = read(body, "AccessControlPolicy", AclDto.class, S3Error.MALFORMED_ACL_ERROR);
    if (dto.owner() == null || dto.owner().id() == null || dto.owner().id().isBlank()) {
      throw malformed(S3Error.MALFORMED_ACL_ERROR, "The ACL must name its Owner's ID.");
    }
    List<AccessControlPolicy.Grant> grants = new ArrayList<>();
    List<GrantDto> grantDtos = dto.acl() == null || dto.acl().grants() == null ? List.of() : dto.acl().grants();
    for (GrantDto g : grantDtos) {
      if (g == null || g.grantee() == null || g.grantee().type() == null || g.permission() == null) {
        throw malformed(S3Error.MALFORMED_ACL_ERROR, "Every Grant needs a Grantee with xsi:type and a Permission.");
      }
      AccessControlPolicy.Permission permission;
      try {
        permission = AccessControlPolicy.Permission.valueOf(g.permission().trim());
      } catch (IllegalArgumentException e) {
        throw malformed(S3Error.MALFORMED_ACL_ERROR, "Unknown permission: " + g.permission());
      }
      GranteeDto e = g.grantee();
      grants.add(new AccessControlPolicy.Grant(
          new AccessControlPolicy.Grantee(e.type(), e.id(), e.displayName(), e.uri(), e.emailAddress()), permission));
    }
    return new AccessControlPolicy(new Owner(dto.owner().id(), dto.owner().displayName()), grants);
  }

  /**
   * PutPublicAccessBlock's {@code PublicAccessBlockConfiguration}: each of the four settings
   * {@code true} or {@code false}, an absent one false
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutPublicAccessBlock.html).
   *
   * @throws S3Exception MalformedXML
   */
  public io.tarn.storage.PublicAccessBlock publicAccessBlock(byte[] body) {
    PublicAccessBlockDto dto = read(body, "PublicAccessBlockConfiguration", PublicAccessBlockDto.class,
        S3Error.MALFORMED_XML);
    return new io.tarn.storage.PublicAccessBlock(setting("BlockPublicAcls", dto.blockPublicAcls()),
        setting("IgnorePublicAcls", dto.ignorePublicAcls()), setting("BlockPublicPolicy", dto.blockPublicPolicy()),
        setting("RestrictPublicBuckets", dto.restrictPublicBuckets()));
  }

  private static boolean setting(String name, String v) {
    if (v == null) {
      return false;
    }
    if (v.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.trim().equalsIgnoreCase("false")) {
      return false;
    }
    throw malformed(S3Error.MALFORMED_XML, name + " must be true or false.");
  }

  /**
   * PutBucketOwnershipControls: exactly one Rule naming the setting by its S3 name (returned as sent;
   * the caller checks it), else MalformedXML
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html).
   */
  public String ownershipControls(byte[] body) {
    OwnershipControlsDto dto = read(body, "OwnershipControls", OwnershipControlsDto.class, S3Error.MALFORMED_XML);
    if (dto.rules() == null || dto.rules().size() != 1 || dto.rules().get(0) == null
        || dto.rules().get(0).objectOwnership() == null) {
      throw malformed(S3Error.MALFORMED_XML, "OwnershipControls must have exactly one Rule with an ObjectOwnership.");
    }
    return dto.rules().get(0).objectOwnership().trim();
  }

  /**
   * Checks the prolog and the root element with plain StAX, lets Jackson bind the root, then reads
   * to the end so that trailing garbage is refused too.
   */
  private <T> T read(byte[] body, String root, Class<T> type, S3Error error) {
    if (body == null || body.length == 0) {
      throw malformed(error, "The request body is empty.");
    }
    XMLStreamReader r = null;
    try {
      r = inputFactory.createXMLStreamReader(new ByteArrayInputStream(body));
      int event = r.getEventType();
      while (event != XMLStreamConstants.START_ELEMENT) {
        if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
          throw malformed(error, "Document type declarations are not allowed.");
        }
        event = r.next();
      }
      if (!root.equals(r.getLocalName())) {
        throw malformed(error, "Expected the root element " + root + ", found " + r.getLocalName() + ".");
      }
      T value = mapper.readValue(r, type);
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.DTD) {
          throw malformed(error, "Document type declarations are not allowed.");
        }
      }
      if (value == null) {
        throw malformed(error, "The " + root + " document is empty.");
      }
      return value;
    } catch (XMLStreamException | IOException | RuntimeException e) {
      if (e instanceof S3Exception s3) {
        throw s3;
      }
      throw new S3Exception(error, error.defaultMessage(), Map.of(), e);
    } finally {
      close(r);
    }
  }

  private static void close(XMLStreamReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (XMLStreamException ignored) {
        // Nothing is held but the byte array.
      }
    }
  }

  private static S3Exception malformed(S3Error error, String detail) {
    return new S3Exception(error, error.defaultMessage() + " " + detail);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String unquote(String etag) {
    return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1) : etag;
  }

  private static boolean bool(String s) {
    if (s == null || s.isBlank()) {
      return false;
    }
    if (s.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (s.trim().equalsIgnoreCase("false")) {
      return false;
    }
    throw malformed(S3Error.MALFORMED_XML, "Quiet must be true or false.");
  }

  private static void putIfPresent(Map<ChecksumAlgorithm, String> map, ChecksumAlgorithm a, String value) {
    if (value != null && !value.isBlank()) {
      map.put(a, value.trim());
    }
  }

  // ---- Jackson binding shapes: strings everywhere, converted and validated above.

  record CreateBucketConfigurationDto(@JsonProperty("LocationConstraint") String locationConstraint) {}

  record DeleteDto(
      @JsonProperty("Quiet") String quiet,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Object") List<ObjectDto> objects) {}

  record ObjectDto(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("ETag") String eTag,
      @JsonProperty("Size") String size,
      @JsonProperty("LastModifiedTime") String lastModifiedTime) {}

  record CompleteDto(@JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Part") List<PartDto> parts) {}

  record PartDto(
      @JsonProperty("PartNumber") String partNumber,
      @JsonProperty("ETag") String etag,
      @JsonProperty("ChecksumCRC32") String crc32,
      @JsonProperty("ChecksumCRC32C") String crc32c,
      @JsonProperty("ChecksumCRC64NVME") String crc64nvme,
      @JsonProperty("ChecksumSHA1") String sha1,
      @JsonProperty("ChecksumSHA256") String sha256) {}

  record PublicAccessBlockDto(
      @JsonProperty("BlockPublicAcls") String blockPublicAcls,
      @JsonProperty("IgnorePublicAcls") String ignorePublicAcls,
      @JsonProperty("BlockPublicPolicy") String blockPublicPolicy,
      @JsonProperty("RestrictPublicBuckets") String restrictPublicBuckets) {}

  record OwnershipControlsDto(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Rule") List<OwnershipRuleDto> rules) {}

  record OwnershipRuleDto(@JsonProperty("ObjectOwnership") String objectOwnership) {}

  record AclDto(@JsonProperty("Owner") OwnerDto owner, @JsonProperty("AccessControlList") AclListDto acl) {}

  record OwnerDto(@JsonProperty("ID") String id, @JsonProperty("DisplayName") String displayName) {}

  record AclListDto(@JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Grant") List<GrantDto> grants) {}

  record GrantDto(@JsonProperty("Grantee") GranteeDto grantee, @JsonProperty("Permission") String permission) {}

  record GranteeDto(
      @JacksonXmlProperty(isAttribute = true, localName = "type") String type,
      @JsonProperty("ID") String id,
      @JsonProperty("DisplayName") String displayName,
      @JsonProperty("URI") String uri,
      @JsonProperty("EmailAddress") String emailAddress) {}
}
