package io.tarn.s3.ops;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.tarn.core.EventName;
import io.tarn.core.ObjectKeys;
import io.tarn.core.Principal;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.FormSignatures;
import io.tarn.s3.auth.SigV4;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.RequestHead;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.post.FormParser;
import io.tarn.s3.post.PostPolicy;
import io.tarn.s3.route.S3Operation;
import io.tarn.s3.xml.XmlWriter;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageException;
import io.tarn.storage.WriteCondition;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.access.AclRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * POST Object, a browser form upload (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html):
 * the body is a {@code multipart/form-data} form whose fields carry what a PUT carries in its URL and
 * headers (key, metadata, checksums) and its credentials (a signed policy, or none: anonymous), and
 * whose last field is the file.
 *
 * <p>The form is read as it streams in ({@link FormParser}). When the file part begins, every field
 * that counts is known: the form is authenticated ({@link FormSignatures}), its policy checked
 * ({@link PostPolicy}), and the signer authorized through the {@link Authorizer} as for a PutObject
 * of the form's key; only then does one byte of the file go anywhere, and it goes into the write path
 * of PutObject ({@link PayloadReceiver}: temp file, digests, verified at the end, one commit) with the
 * event {@code ObjectCreated:Post}. A file that outgrows the policy's {@code content-length-range} is
 * refused as soon as it does, with nothing stored.
 */
public final class PostObjects {
  private final ObjectStore store;
  private final FormSignatures signatures;
  private final Authorizer authorizer;
  private final Clock clock;
  private final Acls acls;

  public PostObjects(ObjectStore store, FormSignatures signatures, Authorizer authorizer, Clock clock, Acls acls) {
    this.store = store;
    this.acls = acls;
    this.signatures = signatures;
    this.authorizer = authorizer;
    this.clock = clock;
  }

  /**
   * The consumer of one form.
   *
   * @param authenticated told the caller once the form is authenticated (for the access log)
   */
  public BodyConsumer start(RequestHead head, S3Operation.PostObject op, Consumer<Principal> authenticated) {
    ServerSideEncryption.refuseRequested(head.headers());
    return new Upload(head, op, authenticated);
  }

  /** One form being received. Its calls come one at a time from a worker (BodyConsumer). */
  private final class Upload implements BodyConsumer, FormParser.Listener {
    private final RequestHead head;
    private final String bucket;
    private final Consumer<Principal> authenticated;
    private final FormParser parser;
    /** The fields before the file by lower-case name; repeated fields joined by commas, as S3 does. */
    private final Map<String, String> fields = new LinkedHashMap<>();
    private Call call;
    private String key;
    private ObjectMetadata metadata;
    /** The headers a PutObject of this form would carry: metadata, and the acl field as x-amz-acl. */
    private HttpHeaders putHeaders;
    /** The form's acl field, as PutObject reads its x-amz-acl. */
    private AclRequest acl;
    private PayloadReceiver receiver;
    private PostPolicy.Range range;

    Upload(RequestHead head, S3Operation.PostObject op, Consumer<Principal> authenticated) {
      this.head = head;
      this.bucket = op.bucket();
      this.authenticated = authenticated;
      this.parser = new FormParser(op.boundary(), FormParser.MAX_PRE_DATA, this);
    }

    @Override
    public void onContent(ByteBuf content) {
      for (ByteBuffer b : content.nioBuffers()) {
        parser.feed(b);
      }
    }

    @Override
    public void field(String name, String value) {
      fields.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
    }

    @Override
    public void fileStart(String filename, String contentType) {
      expandFilename(filename);
      key = fields.get("key");
      if (key == null) {
        throw FormSignatures.missing("key");
      }
      AuthResult auth = signatures.verify(fields);
      authenticated.accept(auth.principal());
      String policyField = fields.get("policy");
      if (policyField != null) {
        PostPolicy policy = PostPolicy.parse(policyField);
        policy.checkNotExpired(clock.instant());
        policy.check(fields, bucket);
        range = policy.contentLengthRange();
      }
      ObjectKeys.validate(key);
      // As in S3Api#prepare: the incarnation is read before the check, and the write commits into it.
      Map<String, BucketInfo> refs = new LinkedHashMap<>();
      Optional<BucketInfo> target = store.bucket(bucket);
      target.ifPresent(b -> refs.put(bucket, b));
      // "To add an object to a bucket, you must have WRITE access on the bucket" (RESTObjectPOST.html):
      // the signer (or, for a form without a policy, the anonymous caller) as a PutObject of the key.
      call = new Call(head, auth, refs);
      authorizer.check(new S3Operation.PutObject(bucket, key), call);
      try {
        call.bucketRef(bucket);
      } catch (StorageException e) {
        throw StorageErrors.translate(e, bucket, key);
      }
      putHeaders = headers();
      metadata = ObjectHeaders.fromRequest(putHeaders);
      acl = acls.fromHeaders(bucket, putHeaders); // a bad acl field is refused before the file is read
      if (acl != AclRequest.NONE) {
        target.ifPresent(b -> ObjectWrites.admitAcl(b, acl, auth.principal(), key)); // so is one the bucket refuses
      }
      ChecksumAlgorithm alg = checksumAlgorithm();
      long max = range == null ? ObjectWrites.MAX_PUT_SIZE : Math.min(range.max(), ObjectWrites.MAX_PUT_SIZE);
      receiver = PayloadReceiver.forForm(store, auth, max, alg, alg == null ? null : fields.get(alg.headerName()),
          fields.get("content-md5"));
    }

    @Override
    public void fileData(ByteBuffer data) {
      receiver.write(data);
    }

    @Override
    public void fileEnd() {
      // The file is complete; the rest of the body (fields after it) is ignored, as S3 does.
    }

    @Override
    public S3Response onEnd() {
      parser.finish();
      try (PayloadReceiver file = receiver) {
        PayloadReceiver.Received body = file.finish();
        long size = file.size();
        if (range != null && size < range.min()) {
          throw new S3Exception(S3Error.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum allowed size",
              Map.of("ProposedSize", Long.toString(size), "MinSizeAllowed", Long.toString(range.min())));
        }
        // The form's "acl" field is PutObject's x-amz-acl: the same ACL, owner and ownership rules.
        ObjectInfo info = store.putObject(call.bucketRef(bucket), key, body.upload(), metadata, body.checksum(),
            WriteCondition.NONE, EventName.OBJECT_CREATED_POST, call.context(), acl);
        return success(info);
      } catch (StorageException e) {
        throw StorageErrors.translate(e, bucket, key);
      }
    }

    @Override
    public void onAbort() {
      if (receiver != null) {
        receiver.close();
      }
    }

    /**
     * "The variable ${filename} is automatically replaced with the name of the file provided by the
     * user and is recognized by all form fields. If the browser or client provides a full or partial
     * path to the file, only the text following the last slash (/) or backslash (\) will be used. [...]
     * If no file or file name is provided, the variable is replaced with an empty string."
     * (HTTPPOSTForms.html). Before the policy is checked: "All variables within the form are expanded
     * before the policy is validated."
     */
    private void expandFilename(String filename) {
      String name = filename == null ? "" : filename;
      name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
      String base = name;
      fields.replaceAll((k, v) -> v.replace("${filename}", base));
    }

    /**
     * The form's metadata as the headers a PUT would carry, so that one reading of them
     * ({@link ObjectHeaders#fromRequest}) serves both. Only the Content-Type field sets the object's
     * type: S3 ignores the file part's own Content-Type (a form without the field gets the default
     * type, as a PUT without the header does; AWS's documentation does not say, other S3
     * implementations report this of S3 in practice).
     */
    private HttpHeaders headers() {
      // Unvalidated: a field may hold what no header could (a line break from a textarea), and is
      // stored as given, as a PUT's header value is.
      HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
      for (Map.Entry<String, String> e : fields.entrySet()) {
        String n = e.getKey();
        if (n.equals("content-type") || n.equals("cache-control") || n.equals("content-disposition")
            || n.equals("content-encoding") || n.equals("expires") || n.startsWith("x-amz-meta-")) {
          h.add(n, asOnTheWire(e.getValue()));
        }
      }
      if (fields.containsKey("acl")) {
        h.add("x-amz-acl", asOnTheWire(fields.get("acl")));
      }
      // Server-side encryption asked for in a field is refused as its header is on a PUT.
      HttpHeaders sse = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
      fields.forEach((n, v) -> {
        if (n.startsWith("x-amz-server-side-encryption")) {
          sse.add(n, v);
        }
      });
      ServerSideEncryption.refuseRequested(sse);
      return h;
    }

    /**
     * A field's text as the HTTP decoder hands a header value over, one char per byte of its UTF-8
     * (what a PUT of the same value sends), so that ObjectHeaders decodes it as it decodes a header.
     */
    private static String asOnTheWire(String value) {
      return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The form's {@code x-amz-checksum-*} field (one only), else {@code x-amz-checksum-algorithm}'s, else none. */
    private ChecksumAlgorithm checksumAlgorithm() {
      ChecksumAlgorithm alg = null;
      for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
        if (a.isS3Checksum() && fields.containsKey(a.headerName())) {
          if (alg != null) {
            throw new S3Exception(S3Error.INVALID_REQUEST,
                "Expecting a single x-amz-checksum- field. Multiple checksum Types are not allowed.");
          }
          alg = a;
        }
      }
      String named = fields.get("x-amz-checksum-algorithm");
      if (alg == null && named != null) {
        alg = ChecksumAlgorithm.fromS3Name(named.trim());
        if (alg == null) {
          throw new S3Exception(S3Error.INVALID_REQUEST, "Value for x-amz-checksum-algorithm field is invalid.");
        }
      }
      return alg;
    }

    /**
     * The answer S3 gives (RESTObjectPOST.html, HTTPPOSTForms.html): a 303 to
     * {@code success_action_redirect} (or the older {@code redirect}) with bucket, key and ETag
     * appended, when it is a URL S3 can interpret; else the status {@code success_action_status}
     * names: 201 with a PostResponse document, 200 empty, and 204 empty for anything else.
     */
    private S3Response success(ObjectInfo info) {
      String etag = ObjectHeaders.quote(info.etag());
      String location = location();
      String redirect = fields.containsKey("success_action_redirect") ? fields.get("success_action_redirect")
          : fields.get("redirect");
      URI target = redirectTarget(redirect);
      S3Response r;
      if (target != null) {
        String sep = target.getRawQuery() == null ? "?" : "&";
        r = S3Response.status(303).header("Location", redirect + sep + "bucket=" + SigV4.uriEncode(bucket, false)
            + "&key=" + SigV4.uriEncode(key, false) + "&etag=" + SigV4.uriEncode(etag, false));
      } else {
        String status = fields.getOrDefault("success_action_status", "");
        if (status.equals("201")) {
          r = S3Response.xml(201, XmlWriter.plainDocument("PostResponse")
              .element("Location", location)
              .element("Bucket", bucket)
              .element("Key", key)
              .element("ETag", etag)
              .toBytes());
        } else {
          r = S3Response.status(status.equals("200") ? 200 : 204);
        }
        r.header("Location", location);
      }
      r.header("ETag", etag);
      if (info.checksum() != null) {
        r.header(info.checksum().algorithm().headerName(), info.checksum().wireValue());
      }
      return r;
    }

    /** An absolute http(s) URL, or null: "If Amazon S3 cannot interpret the URL, it ignores the field." */
    private URI redirectTarget(String url) {
      if (url == null || url.isEmpty()) {
        return null;
      }
      try {
        URI u = new URI(url);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u : null;
      } catch (URISyntaxException e) {
        return null;
      }
    }

    /** The new object's URL, in the addressing style the form was posted with. */
    private String location() {
      String host = head.headers().get("Host");
      String scheme = head.tls() ? "https://" : "http://";
      String path = head.rawPath();
      boolean virtualHosted = path.equals("/") || path.isEmpty();
      return scheme + (host == null ? "" : host) + (virtualHosted ? "/" : "/" + SigV4.uriEncode(bucket, false) + "/")
          + SigV4.uriEncode(key, true);
    }
  }
}
