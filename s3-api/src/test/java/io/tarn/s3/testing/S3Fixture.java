package io.tarn.s3.testing;

import io.tarn.core.AccessKey;
import io.tarn.core.EventName;
import io.tarn.core.Ids;
import io.tarn.core.RequestContext;
import io.tarn.core.Principal;
import io.tarn.core.Role;
import io.tarn.core.api.ApiRequest;
import io.tarn.core.api.ApiResponse;
import io.tarn.notifications.WebhookService;
import io.tarn.s3.S3Api;
import io.tarn.core.checksum.ChecksumAlgorithm;
import io.tarn.storage.BlobUpload;
import io.tarn.storage.CompletedPart;
import io.tarn.storage.EventSink;
import io.tarn.storage.NewAccessKey;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.ObjectMetadata;
import io.tarn.storage.PartSummary;
import io.tarn.storage.SpaceLimits;
import io.tarn.storage.StoredChecksum;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.UserInfo;
import io.tarn.storage.WriteCondition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link TarnStore} in a temporary directory behind an {@link S3Api}, with one access key
 * and a fixed clock, so that requests signed by {@link TestRequest} authenticate and object times
 * are known.
 */
public final class S3Fixture implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY = "AKIATARNTESTKEY00001";
  public static final String SECRET = "tarn/test/secret/0123456789abcdefghijklm";
  /** The clock of the store and the verifier, and the time requests are signed at. */
  public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  /** The store's first admin, as the server's root user is. */
  public static final Principal ALICE = new Principal("a".repeat(64), "alice", ACCESS_KEY, Role.ADMIN);
  public static final AccessKey KEY = new AccessKey(ACCESS_KEY, SECRET, ALICE);

  private final TarnStore store;
  private final S3Api api;
  private final AtomicInteger buckets = new AtomicInteger();

  private S3Fixture(TarnStore store, S3Api api) {
    this.store = store;
    this.api = api;
  }

  /** Opens a store in {@code dir} (a JUnit {@code @TempDir}), without webhooks. */
  public static S3Fixture open(Path dir) {
    return open(dir, (WebhookService) null);
  }

  /** As {@link #open(Path)}, with {@code webhooks} (null: none) behind {@code GET ?notification}. */
  public static S3Fixture open(Path dir, WebhookService webhooks) {
    // No floor and no 32 MiB reserve file per fixture: the protocol tests are not about the disk.
    return open(dir, webhooks, SpaceLimits.NONE, true);
  }

  /** As {@link #open(Path, WebhookService)}, with a free-space floor and reserve. */
  public static S3Fixture open(Path dir, WebhookService webhooks, SpaceLimits space) {
    return open(dir, webhooks, space, true);
  }

  /** As {@link #open(Path)}, with blob reads verified or not ({@code StorageOptions#verifyReads}). */
  public static S3Fixture open(Path dir, boolean verifyReads) {
    return open(dir, null, SpaceLimits.NONE, verifyReads);
  }

  /** As {@link #open(Path)}, with a server-wide public access block ({@code tarn server --public-access-block}). */
  public static S3Fixture open(Path dir, io.tarn.storage.PublicAccessBlock serverBlock) {
    return open(dir, null, SpaceLimits.NONE, true, serverBlock);
  }

  private static S3Fixture open(Path dir, WebhookService webhooks, SpaceLimits space, boolean verifyReads) {
    return open(dir, webhooks, space, verifyReads, io.tarn.storage.PublicAccessBlock.NONE);
  }

  private static S3Fixture open(Path dir, WebhookService webhooks, SpaceLimits space, boolean verifyReads,
      io.tarn.storage.PublicAccessBlock serverBlock) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    TarnStore store = TarnStore.open(StorageOptions.defaults(dir).withSpace(space).withVerifyReads(verifyReads),
        EventSink.NONE, clock);
    store.identity().bootstrapRoot(ALICE.userId(), ALICE.displayName(), ACCESS_KEY, SECRET);
    S3Api.Config config = new S3Api.Config(REGION, List.of(), io.tarn.storage.access.ObjectOwnership.OBJECT_WRITER,
        serverBlock);
    S3Api api = webhooks == null
        ? new S3Api(store, store.identity(), S3Fixture::echo, clock, config)
        : new S3Api(store, store.identity(), S3Fixture::echo, webhooks, clock, config);
    return new S3Fixture(store, api);
  }

  /**
   * The fixture's stand-in for Tarn's JSON APIs: echoes what the front end handed over, so tests
   * can see the principal, path, query and body it passed.
   */
  private static ApiResponse echo(ApiRequest r) {
    String who = r.principal().map(Principal::displayName).orElse("-");
    String text = r.method() + " " + r.path() + " " + r.query() + " principal=" + who + " body=" + new String(r.body(), StandardCharsets.UTF_8);
    return new ApiResponse(200, "text/plain", text.getBytes(StandardCharsets.UTF_8), Map.of("X-Echo", "1"));
  }

  public TarnStore store() {
    return store;
  }

  public S3Api api() {
    return api;
  }

  /**
   * Creates a bucket with a name not used before in this store, so that tests sharing a fixture
   * (opening a store per test would dominate the run time) do not see each other's objects.
   */
  public String newBucket() {
    String name = "bkt-" + buckets.incrementAndGet();
    createBucket(name);
    return name;
  }

  /** Creates a bucket owned by {@link #ALICE}, directly in the store. */
  public void createBucket(String name) {
    store.createBucket(name, REGION, ALICE.userId());
  }

  /** A request context of {@link #ALICE}, for calls straight to the store. */
  /** A new user of the USER role, with one access key: the other callers of authorization tests. */
  public NewAccessKey user(String name) {
    UserInfo u = store.identity().createUser(name, Role.USER);
    return store.identity().createKey(u.id(), null);
  }

  /** {@code r} signed with {@code key}, run through the S3 API. */
  public TestResponse as(NewAccessKey key, TestRequest r) {
    return DirectExchange.run(api(), r.credentials(key.info().accessKeyId(), key.secretAccessKey()));
  }

  public static RequestContext context() {
    return new RequestContext(Ids.requestId(), ALICE, "127.0.0.1");
  }

  /** Stores an object directly, bypassing the HTTP layer. */
  public ObjectInfo putObject(String bucket, String key, byte[] data, ObjectMetadata metadata) {
    try (BlobUpload upload = store.openUpload(data.length, Set.of())) {
      upload.write(ByteBuffer.wrap(data));
      upload.finish();
      return store.putObject(bucket, key, upload, metadata, null, WriteCondition.NONE, EventName.OBJECT_CREATED_PUT, context());
    }
  }

  /** Stores a multipart object directly, one part per array (all but the last at least 5 MiB). */
  public ObjectInfo putMultipart(String bucket, String key, byte[]... parts) {
    return putMultipart(bucket, key, null, parts);
  }

  /**
   * As above, each part with its checksum of {@code algorithm} (null for none), so the object gets the
   * algorithm's default checksum type.
   */
  public ObjectInfo putMultipart(String bucket, String key, ChecksumAlgorithm algorithm, byte[]... parts) {
    String uploadId = store.createUpload(bucket, key, ObjectMetadata.of(null, Map.of()), algorithm, context()).uploadId();
    List<CompletedPart> completed = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      try (BlobUpload upload = store.openUpload(parts[i].length, Set.of())) {
        upload.write(ByteBuffer.wrap(parts[i]));
        upload.finish();
        StoredChecksum checksum = algorithm == null ? null : new StoredChecksum(algorithm, algorithm.digest(parts[i]), 0);
        PartSummary p = store.putPart(bucket, key, uploadId, i + 1, upload, checksum);
        completed.add(new CompletedPart(i + 1, p.etag(), null));
      }
    }
    return store.completeUpload(bucket, key, uploadId, completed, 5L << 20, WriteCondition.NONE, context());
  }

  /** Deterministic, non-repeating-looking test bytes. */
  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >> 8) + (i >> 16) * 7);
    }
    return b;
  }

  @Override
  public void close() {
    store.close();
  }
}
