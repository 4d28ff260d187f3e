package io.tarn.s3;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tarn.core.Principal;
import io.tarn.core.S3Error;
import io.tarn.core.S3Exception;
import io.tarn.s3.auth.AuthResult;
import io.tarn.s3.auth.Authenticator;
import io.tarn.s3.auth.FormSignatures;
import io.tarn.s3.auth.IdentityKeys;
import io.tarn.s3.http.BodyConsumer;
import io.tarn.s3.http.NettySignedRequest;
import io.tarn.s3.http.RequestHead;
import io.tarn.s3.http.S3Dispatcher;
import io.tarn.s3.http.S3Response;
import io.tarn.s3.ops.AclOps;
import io.tarn.s3.ops.Acls;
import io.tarn.s3.ops.Authorizer;
import io.tarn.s3.ops.BrowserReads;
import io.tarn.s3.ops.BucketOps;
import io.tarn.s3.ops.ConsoleOps;
import io.tarn.s3.ops.HealthProbes;
import io.tarn.s3.ops.IdentityOwners;
import io.tarn.s3.ops.Call;
import io.tarn.s3.ops.CopyOps;
import io.tarn.s3.ops.ListOps;
import io.tarn.s3.ops.MultipartOps;
import io.tarn.s3.ops.ObjectReads;
import io.tarn.s3.ops.ObjectWrites;
import io.tarn.s3.ops.PolicyEnforcer;
import io.tarn.s3.ops.PolicyOps;
import io.tarn.s3.ops.PostObjects;
import io.tarn.s3.ops.ServerSideEncryption;
import io.tarn.s3.ops.Owners;
import io.tarn.s3.ops.SmallBody;
import io.tarn.s3.route.Router;
import io.tarn.s3.route.S3Operation;
import io.tarn.s3.route.S3Operation.*;
import io.tarn.core.api.ApiHandler;
import io.tarn.notifications.RuleView;
import io.tarn.notifications.WebhookService;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.access.ObjectOwnership;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The S3 protocol over an {@link ObjectStore}: routes, authenticates, then dispatches each
 * operation to its handler family (one flat visitor, STYLE.md 3 and 4).
 */
public final class S3Api implements S3Dispatcher {
  /** Where a browser opening {@code /} is sent (console-contract.md). */
  static final String CONSOLE_HOME = Router.CONSOLE_PREFIX + "/console/";

  /**
   * @param region the region clients sign for and buckets report
   * @param domains domains for virtual-hosted-style addressing
   * @param defaultOwnership the Object Ownership of a bucket created without
   *     {@code x-amz-object-ownership} (the server option {@code --object-ownership})
   */
  /**
   * @param defaultOwnership the Object Ownership of a bucket created without one (docs/access/acls.md)
   * @param publicAccessBlock the server-wide public access block ({@code tarn server
   *     --public-access-block}): every bucket has at least these settings on
   */
  public record Config(String region, List<String> domains, ObjectOwnership defaultOwnership,
      PublicAccessBlock publicAccessBlock) {
    public Config {
      publicAccessBlock = publicAccessBlock == null ? PublicAccessBlock.NONE : publicAccessBlock;
    }

    /** Without a server-wide public access block. */
    public Config(String region, List<String> domains, ObjectOwnership defaultOwnership) {
      this(region, domains, defaultOwnership, PublicAccessBlock.NONE);
    }

    /** With the server's default ownership, ObjectWriter (docs/access/acls.md), and no public access block. */
    public Config(String region, List<String> domains) {
      this(region, domains, ObjectOwnership.OBJECT_WRITER);
    }
  }

  private final ObjectStore store;
  private final Router router;
  private final Authenticator verifier;
  private final BucketOps buckets;
  private final AclOps aclOps;
  private final ObjectReads reads;
  private final ObjectWrites writes;
  private final CopyOps copies;
  private final ListOps lists;
  private final MultipartOps multipart;
  private final PostObjects posts;
  private final Authorizer authorizer;
  private final PolicyOps policies;
  private final ConsoleOps console;
  private final HealthProbes health;

  /**
   * Without webhooks: every bucket reports an empty notification configuration.
   *
   * @param store objects and buckets
   * @param identity users, keys and bucket grants: authenticates and authorizes every request
   * @param api Tarn's own JSON APIs, served under {@code /_tarn/}
   * @param clock request time checks
   * @param config region and domains
   */
  public S3Api(ObjectStore store, IdentityStore identity, ApiHandler api, Clock clock, Config config) {
    this(store, identity, api, bucket -> List.of(), clock, config);
  }

  /**
   * As above, with the webhook service whose rules {@code GET ?notification} reports.
   *
   * @param webhooks the buckets' webhook rules
   */
  public S3Api(ObjectStore store, IdentityStore identity, ApiHandler api, WebhookService webhooks, Clock clock,
      Config config) {
    this(store, identity, api, webhooks::rules, clock, config);
  }

  private S3Api(ObjectStore store, IdentityStore identity, ApiHandler api,
      Function<String, List<RuleView>> webhookRules, Clock clock, Config config) {
    Owners owners = new IdentityOwners(identity);
    PolicyEnforcer enforcer = new PolicyEnforcer(store, config.publicAccessBlock(), clock);
    this.store = store;
    this.router = new Router(config.domains());
    IdentityKeys keys = new IdentityKeys(identity, clock);
    this.verifier = new Authenticator(keys, clock, config.region());
    this.authorizer = new Authorizer(identity, store, enforcer);
    this.policies = new PolicyOps(store, identity, enforcer);
    this.console = new ConsoleOps(verifier, api);
    this.health = new HealthProbes(store);
    Acls acls = new Acls(identity, owners, enforcer::refusesPublicAcls);
    this.buckets = new BucketOps(store, owners, authorizer, config.region(), webhookRules, acls,
        config.defaultOwnership());
    this.aclOps = new AclOps(store, identity, acls);
    this.reads = new ObjectReads(store);
    this.writes = new ObjectWrites(store, acls);
    this.copies = new CopyOps(store, owners, acls);
    this.lists = new ListOps(store, owners);
    this.multipart = new MultipartOps(store, owners, acls);
    this.posts = new PostObjects(store, new FormSignatures(keys, clock, config.region()), authorizer, clock, acls);
  }

  /** Health probes, path-style on the listener's own address ({@link HealthProbes}). */
  @Override
  public S3Response probe(RequestHead head, boolean draining) {
    if (!HealthProbes.serves(head.rawPath())
        || router.virtualHostBucket(head.headers().get(HttpHeaderNames.HOST)) != null) {
      return null; // in a virtual-hosted bucket, /_tarn/health/live is an object key
    }
    return health.answer(head, draining);
  }

  @Override
  public Plan prepare(RequestHead head) {
    String host = head.headers().get(HttpHeaderNames.HOST);
    S3Operation op = router.route(head.method().name(), host, head.uri(), head.headers()::get);
    Routed routed = new Routed(op);
    if (op instanceof Console) {
      return routed.starting(() -> console.start(head, routed::authenticated));
    }
    if (op instanceof PostObject post) {
      // A form carries its credentials in its body: it is authenticated and authorized as it is read.
      return routed.starting(() -> posts.start(head, post, routed::authenticated));
    }
    if (op instanceof ListBuckets && browserVisit(head)) {
      return routed.starting(() -> BodyConsumer.noBody(() -> S3Response.status(302).header("Location", CONSOLE_HOME)));
    }
    // Authentication may read the key store and authorization the bucket's owner and grants: both
    // run on the worker, still before the body is read and before 100 Continue.
    return routed.starting(() -> {
      // Signature Version 2 signs the bucket of a virtual-hosted request as part of the resource.
      AuthResult auth = verifier.authenticate(new NettySignedRequest(head), router.virtualHostBucket(host));
      routed.authenticated(auth.principal());
      // The buckets' incarnations are read before the check: a write commits only if its bucket is
      // still that incarnation, so the bucket it commits into existed, unchanged, from before the
      // check until the commit, however long the body takes (Tarn issue 11).
      Map<String, BucketInfo> buckets = incarnations(op);
      Call call = new Call(head, auth, buckets);
      authorizer.check(op, call);
      ServerSideEncryption.refuseRequested(head.headers());
      return op.accept(new Planner(call)).start();
    });
  }

  /**
   * Whether a request for {@code /} is a person's browser rather than an S3 client: a plain GET that
   * asks for HTML and carries no credentials and no query. S3 answers such a request with
   * AccessDenied (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html needs a signed
   * request); Tarn sends the person to its console instead. SDKs and CLIs do not ask for
   * {@code text/html}, and a signed or presigned ListBuckets has an Authorization header or a query,
   * so every S3 client still gets S3's answer.
   */
  private static boolean browserVisit(RequestHead head) {
    String accept = head.headers().get(HttpHeaderNames.ACCEPT);
    String query = head.rawQuery();
    return head.method().name().equals("GET") && accept != null
        && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html")
        && !head.headers().contains(HttpHeaderNames.AUTHORIZATION) && (query == null || query.isEmpty());
  }

  /**
   * The current incarnations of the buckets an object write names (its own and a copy's source); none
   * for the other operations, which commit nothing into a bucket and so spare GETs and listings a read.
   */
  private Map<String, BucketInfo> incarnations(S3Operation op) {
    if (!(op instanceof BucketOperation) || !Authorizer.writesObjects(op)) {
      return Map.of();
    }
    Map<String, BucketInfo> out = new HashMap<>(2);
    List<String> names = new ArrayList<>(2);
    names.add(((BucketOperation) op).bucket());
    if (op instanceof CopyObject c) {
      names.add(c.source().bucket());
    } else if (op instanceof UploadPartCopy c) {
      names.add(c.source().bucket());
    }
    for (String name : names) {
      store.bucket(name).ifPresent(b -> out.put(name, b));
    }
    return out;
  }

  private static String resource(S3Operation op) {
    if (op instanceof Console) {
      String uri = ((Console) op).rawUri();
      int q = uri.indexOf('?');
      return q < 0 ? uri : uri.substring(0, q);
    }
    if (op instanceof ObjectOperation) {
      return "/" + ((ObjectOperation) op).bucket() + "/" + ((ObjectOperation) op).key();
    }
    if (op instanceof BucketOperation) {
      return "/" + ((BucketOperation) op).bucket();
    }
    return "/";
  }

  /**
   * A routed request as the HTTP layer sees it: what to start, and what the access log and metrics
   * name it by (read only when a listener asks, so a server without one builds no strings for it).
   */
  private static final class Routed implements Plan {
    private static final String HEALTH = Router.CONSOLE_PREFIX + "/health";
    private static final String METRICS = Router.CONSOLE_PREFIX + "/metrics";
    private static final String ADMIN = Router.CONSOLE_PREFIX + "/admin";

    private final S3Operation op;
    private final String resource;
    private Supplier<BodyConsumer> start;
    /** Set on the worker that authenticated the request; read on the event loop when it ends. */
    private volatile Principal principal;

    Routed(S3Operation op) {
      this.op = op;
      this.resource = S3Api.resource(op);
    }

    Routed starting(Supplier<BodyConsumer> start) {
      this.start = start;
      return this;
    }

    void authenticated(Principal p) {
      this.principal = p;
    }

    @Override
    public BodyConsumer start() {
      return start.get();
    }

    @Override
    public String resource() {
      return resource;
    }

    @Override
    public String operation() {
      if (op instanceof Console) {
        // Tarn's own APIs by family: what an operator filters logs and metrics by.
        if (under(resource, HEALTH)) {
          return "Health";
        }
        if (under(resource, METRICS)) {
          return "Metrics";
        }
        return under(resource, ADMIN) ? "Admin" : "Console";
      }
      return op.operationName();
    }

    /** Whether {@code path} is {@code prefix} or below it. */
    private static boolean under(String path, String prefix) {
      return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    @Override
    public String bucket() {
      return op instanceof BucketOperation b ? b.bucket() : null;
    }

    @Override
    public String key() {
      return op instanceof ObjectOperation o ? o.key() : null;
    }

    @Override
    public String accessKeyId() {
      Principal p = principal;
      return p == null ? null : p.accessKeyId();
    }

    @Override
    public String userId() {
      Principal p = principal;
      return p == null ? null : p.userId();
    }
  }

  private static Plan plan(S3Operation op, Supplier<BodyConsumer> start) {
    String resource = resource(op);
    return new Plan() {
      @Override
      public BodyConsumer start() {
        return start.get();
      }

      @Override
      public String resource() {
        return resource;
      }
    };
  }

  /** Maps each operation to the handler that runs it. */
  private final class Planner implements S3Operation.Visitor<Plan> {
    private final Call call;

    Planner(Call call) {
      this.call = call;
    }

    private Plan noBody(S3Operation op, Supplier<S3Response> action) {
      return plan(op, () -> BodyConsumer.noBody(action));
    }

    private Plan xmlBody(S3Operation op, java.util.function.Function<byte[], S3Response> action) {
      return plan(op, () -> SmallBody.of(call, action));
    }

    @Override
    public Plan listBuckets(ListBuckets op) {
      return noBody(op, () -> buckets.list(call, op));
    }

    @Override
    public Plan console(Console op) {
      throw new IllegalStateException("console requests are planned by ConsoleOps");
    }

    @Override
    public Plan createBucket(CreateBucket op) {
      return xmlBody(op, body -> buckets.create(call, op.bucket(), body));
    }

    @Override
    public Plan headBucket(HeadBucket op) {
      return noBody(op, () -> buckets.head(call, op.bucket()));
    }

    @Override
    public Plan deleteBucket(DeleteBucket op) {
      return noBody(op, () -> buckets.delete(call, op.bucket()));
    }

    @Override
    public Plan getBucketLocation(GetBucketLocation op) {
      return noBody(op, () -> buckets.location(call, op.bucket()));
    }

    @Override
    public Plan listObjects(ListObjects op) {
      return noBody(op, () -> lists.listV1(call, op));
    }

    @Override
    public Plan listObjectsV2(ListObjectsV2 op) {
      return noBody(op, () -> lists.listV2(call, op));
    }

    @Override
    public Plan listMultipartUploads(ListMultipartUploads op) {
      return noBody(op, () -> multipart.listUploads(call, op));
    }

    @Override
    public Plan deleteObjects(DeleteObjects op) {
      return xmlBody(op, body -> writes.deleteObjects(call, op.bucket(), body,
          key -> authorizer.checkDeleteKey(op, key, call)));
    }

    @Override
    public Plan postObject(PostObject op) {
      throw new IllegalStateException("POST Object forms are planned by PostObjects");
    }

    @Override
    public Plan getBucketAcl(GetBucketAcl op) {
      return noBody(op, () -> aclOps.getBucketAcl(call, op.bucket()));
    }

    @Override
    public Plan putBucketAcl(PutBucketAcl op) {
      return xmlBody(op, body -> aclOps.putBucketAcl(call, op.bucket(), body));
    }

    @Override
    public Plan getBucketOwnershipControls(GetBucketOwnershipControls op) {
      return noBody(op, () -> aclOps.getOwnership(call, op.bucket()));
    }

    @Override
    public Plan putBucketOwnershipControls(PutBucketOwnershipControls op) {
      return xmlBody(op, body -> aclOps.putOwnership(call, op.bucket(), body));
    }

    @Override
    public Plan deleteBucketOwnershipControls(DeleteBucketOwnershipControls op) {
      return noBody(op, () -> aclOps.deleteOwnership(call, op.bucket()));
    }

    @Override
    public Plan getBucketNotification(GetBucketNotification op) {
      return noBody(op, () -> buckets.notification(call, op.bucket()));
    }

    @Override
    public Plan getBucketVersioning(GetBucketVersioning op) {
      return noBody(op, () -> buckets.versioning(call, op.bucket()));
    }

    @Override
    public Plan putObject(PutObject op) {
      return plan(op, () -> writes.put(call, op.bucket(), op.key()));
    }

    @Override
    public Plan copyObject(CopyObject op) {
      return noBody(op, () -> copies.copyObject(call, op));
    }

    @Override
    public Plan getObject(GetObject op) {
      return noBody(op, () -> BrowserReads.forCall(call,
          reads.read(op.bucket(), op.key(), op.partNumber(), op.overrides(), call.headers(), false)));
    }

    @Override
    public Plan headObject(HeadObject op) {
      return noBody(op, () -> BrowserReads.forCall(call,
          reads.read(op.bucket(), op.key(), op.partNumber(), op.overrides(), call.headers(), true)));
    }

    @Override
    public Plan deleteObject(DeleteObject op) {
      return noBody(op, () -> writes.delete(call, op.bucket(), op.key()));
    }

    @Override
    public Plan getObjectAcl(GetObjectAcl op) {
      return noBody(op, () -> aclOps.getObjectAcl(call, op.bucket(), op.key()));
    }

    @Override
    public Plan putObjectAcl(PutObjectAcl op) {
      return xmlBody(op, body -> aclOps.putObjectAcl(call, op.bucket(), op.key(), body));
    }

    @Override
    public Plan getObjectAttributes(GetObjectAttributes op) {
      return noBody(op, () -> copies.attributes(call, op));
    }

    @Override
    public Plan createMultipartUpload(CreateMultipartUpload op) {
      return noBody(op, () -> multipart.create(call, op));
    }

    @Override
    public Plan uploadPart(UploadPart op) {
      return plan(op, () -> multipart.uploadPart(call, op));
    }

    @Override
    public Plan uploadPartCopy(UploadPartCopy op) {
      return noBody(op, () -> multipart.uploadPartCopy(call, op));
    }

    @Override
    public Plan completeMultipartUpload(CompleteMultipartUpload op) {
      // Its x-amz-checksum-* headers are the object's checksum, which completion checks, not the XML's.
      return plan(op, () -> SmallBody.ofObjectChecksums(call, body -> multipart.complete(call, op, body)));
    }

    @Override
    public Plan abortMultipartUpload(AbortMultipartUpload op) {
      return noBody(op, () -> multipart.abort(call, op));
    }

    @Override
    public Plan listParts(ListParts op) {
      return noBody(op, () -> multipart.listParts(call, op));
    }

    @Override
    public Plan getBucketPolicy(GetBucketPolicy op) {
      return noBody(op, () -> policies.get(call, op.bucket()));
    }

    @Override
    public Plan putBucketPolicy(PutBucketPolicy op) {
      return xmlBody(op, body -> policies.put(call, op.bucket(), body));
    }

    @Override
    public Plan deleteBucketPolicy(DeleteBucketPolicy op) {
      return noBody(op, () -> policies.delete(call, op.bucket()));
    }

    @Override
    public Plan getBucketPolicyStatus(GetBucketPolicyStatus op) {
      return noBody(op, () -> policies.status(call, op.bucket()));
    }

    @Override
    public Plan getPublicAccessBlock(GetPublicAccessBlock op) {
      return noBody(op, () -> policies.getBlock(call, op.bucket()));
    }

    @Override
    public Plan putPublicAccessBlock(PutPublicAccessBlock op) {
      return xmlBody(op, body -> policies.putBlock(call, op.bucket(), body));
    }

    @Override
    public Plan deletePublicAccessBlock(DeletePublicAccessBlock op) {
      return noBody(op, () -> policies.deleteBlock(call, op.bucket()));
    }
  }
}
