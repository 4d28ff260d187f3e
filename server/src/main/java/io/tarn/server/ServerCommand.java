package io.tarn.server;

import io.tarn.core.AccessKey;
import io.tarn.console.TarnApi;
import io.tarn.console.assets.ConsoleAssets;
import io.tarn.console.session.ConsoleSessions;
import io.tarn.console.session.SessionOptions;
import io.tarn.s3.auth.IdentityKeys;
import io.tarn.s3.auth.QueryPresigner;
import io.tarn.console.webhooks.WebhooksApi;
import io.tarn.notifications.Notifications;
import io.tarn.notifications.delivery.DnsUrlGuard;
import io.tarn.notifications.delivery.NettySender;
import io.tarn.notifications.delivery.TransportOptions;
import io.tarn.notifications.live.LiveEvents;
import io.tarn.notifications.queue.DeliveryOptions;
import io.tarn.s3.http.ErrorResponses;
import io.tarn.server.bench.Durations;
import io.tarn.console.admin.AdminApi;
import io.tarn.console.admin.RecentErrors;
import io.tarn.console.admin.ServerInfo;
import io.tarn.core.api.ApiHandler;
import io.tarn.s3.S3Api;
import io.tarn.s3.http.Drain;
import io.tarn.s3.http.ExchangeListener;
import io.tarn.s3.http.S3Server;
import io.tarn.s3.http.TrustedProxies;
import io.tarn.s3.http.WorkerPool;
import io.tarn.server.bench.ByteSize;
import io.tarn.server.metrics.MetricsOptions;
import io.tarn.server.metrics.ServerMetrics;
import io.tarn.server.metrics.TarnMetrics;
import io.tarn.server.start.DataDirectory;
import io.tarn.server.start.Exit;
import io.tarn.server.start.StartupErrors;
import io.tarn.server.start.StartupFailure;
import io.tarn.server.start.StartupOptions;
import io.tarn.server.start.PublicUrlOptions;
import io.tarn.server.start.TrustedProxyOptions;
import io.tarn.console.PublicUrl;
import io.tarn.server.ops.DrainOptions;
import io.tarn.server.ops.GracefulShutdown;
import io.tarn.server.tls.ServerTls;
import io.tarn.server.tls.TlsException;
import io.tarn.server.tls.TlsOptions;
import io.tarn.storage.DataDirectoryLock;
import io.tarn.storage.DataMode;
import io.tarn.storage.MasterKey;
import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.SpaceLimits;
import io.tarn.storage.StorageException;
import io.tarn.storage.StorageOptions;
import io.tarn.storage.TarnStore;
import io.tarn.storage.access.ObjectOwnership;
import io.tarn.s3.http.ExchangeListener;
import io.tarn.server.logging.AccessLog;
import io.tarn.server.logging.LogOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tarn server}: runs the store. All wiring happens here, by hand. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Start the Tarn server.")
final class ServerCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:TARN_DATA}",
      description = "Data directory (env TARN_DATA). Default: ./data if it is a Tarn data directory already, else"
          + " $XDG_DATA_HOME/tarn (~/.local/share/tarn).")
  Path data;

  @Mixin StartupOptions startup;

  @Mixin PublicUrlOptions publicUrlOptions;
  @Mixin TrustedProxyOptions trustedProxyOptions;
  /** Held from before anything is written into the data directory until the process ends. */
  private DataDirectoryLock dataLock;

  @Option(names = "--data-mode", paramLabel = "private|group", defaultValue = "${env:TARN_DATA_MODE:-private}",
      description = "Who may read the data directory: private (directories 0700, files 0600) or group (0750, 0640);"
          + " secrets stay 0600 (env TARN_DATA_MODE; default ${DEFAULT-VALUE}).")
  String dataMode;

  @Option(names = "--address", paramLabel = "HOST:PORT", defaultValue = "${env:TARN_ADDRESS:-0.0.0.0:9000}",
      description = "Listen address (env TARN_ADDRESS; default ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--region", defaultValue = "${env:TARN_REGION:-us-east-1}",
      description = "Region name clients sign with (env TARN_REGION; default ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--domain", paramLabel = "DOMAIN", split = ",", defaultValue = "${env:TARN_DOMAINS}",
      description = "Domain for virtual-hosted-style requests, <bucket>.DOMAIN; repeatable (env TARN_DOMAINS, comma-separated).")
  List<String> domains;

  @Option(names = "--object-ownership", paramLabel = "SETTING", converter = OwnershipConverter.class,
      defaultValue = "${env:TARN_OBJECT_OWNERSHIP:-ObjectWriter}",
      description = "Object Ownership of a bucket created without x-amz-object-ownership: ObjectWriter (ACLs work,"
          + " the writer owns an object), BucketOwnerPreferred or BucketOwnerEnforced (ACLs disabled, as AWS's"
          + " default); see docs/access/acls.md (env TARN_OBJECT_OWNERSHIP; default ${DEFAULT-VALUE}).")
  ObjectOwnership objectOwnership;

  /** S3's names of the Object Ownership settings, exactly as in x-amz-object-ownership. */
  static final class OwnershipConverter implements CommandLine.ITypeConverter<ObjectOwnership> {
    @Override
    public ObjectOwnership convert(String value) {
      ObjectOwnership o = ObjectOwnership.fromS3(value.strip());
      if (o == null) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not ObjectWriter, BucketOwnerPreferred or"
            + " BucketOwnerEnforced");
      }
      return o;
    }
  }

  @Mixin TlsOptions tlsOptions;

  @Option(names = "--public-access-block", paramLabel = "none|all|SETTING,...",
      converter = PublicAccessBlockConverter.class, defaultValue = "${env:TARN_PUBLIC_ACCESS_BLOCK:-none}",
      description = "Public access block settings on for every bucket, whatever its own configuration says:"
          + " none, all, or a comma-separated list of BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,"
          + " RestrictPublicBuckets (env TARN_PUBLIC_ACCESS_BLOCK; default ${DEFAULT-VALUE}).")
  PublicAccessBlock publicAccessBlock = PublicAccessBlock.NONE;

  /** Reads {@code --public-access-block}, naming the setting it does not know. */
  static final class PublicAccessBlockConverter implements CommandLine.ITypeConverter<PublicAccessBlock> {
    @Override
    public PublicAccessBlock convert(String value) {
      try {
        return PublicAccessBlock.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Mixin LogOptions logOptions;

  @Mixin DrainOptions drainOptions;

  @Mixin MetricsOptions metricsOptions;

  private static final System.Logger LOG = System.getLogger(ServerCommand.class.getName());

  @Option(names = "--accept-wal-loss",
      description = "Start once on a metadata store whose write-ahead log has corrupt records, keeping what precedes"
          + " the first of them: the writes after it are lost, the blob files they wrote are moved to"
          + " <data>/quarantine/ (never deleted). Without it such a store is refused.")
  boolean acceptWalLoss;

  @Option(names = "--min-free-space", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_MIN_FREE_SPACE:-256MiB}",
      description = "Object and part writes that would leave less free space on the data directory's disk get 507 StorageFull; deletes always work (env TARN_MIN_FREE_SPACE; default ${DEFAULT-VALUE}).")
  ByteSize minFreeSpace;

  @Option(names = "--space-reserve", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_SPACE_RESERVE:-32MiB}",
      description = "Size of <data>/reserve, a file given up so that deletes can commit when the disk is full; 0: none (env TARN_SPACE_RESERVE; default ${DEFAULT-VALUE}).")
  ByteSize spaceReserve;

  /** Tests only (hidden): the store sees a disk of this size, used by what the data directory holds. */
  @Option(names = "--test-disk-capacity", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "0", hidden = true)
  ByteSize testDiskCapacity;

  @Option(names = "--inline-threshold", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_INLINE_THRESHOLD:-0}",
      description = "Keep object bodies of at most this size in the metadata store instead of a blob file: faster"
          + " small PUTs, but such objects are lost if the metadata store is, 'tarn admin rebuild-index' cannot"
          + " bring them back; at most 1MiB, 0 (every body a blob file) turns it off (env TARN_INLINE_THRESHOLD;"
          + " default ${DEFAULT-VALUE}).")
  ByteSize inlineThreshold;

  private static final long MAX_INLINE_THRESHOLD = 1 << 20;

  @Option(names = "--webhook-retry-initial", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_WEBHOOK_RETRY_INITIAL:-1m}",
      description = "Wait before the first retry of a failed webhook delivery; doubles per attempt (env TARN_WEBHOOK_RETRY_INITIAL; default ${DEFAULT-VALUE}).")
  Duration webhookRetryInitial;

  @Option(names = "--webhook-retry-max", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_WEBHOOK_RETRY_MAX:-1h}",
      description = "Longest wait between webhook retries (env TARN_WEBHOOK_RETRY_MAX; default ${DEFAULT-VALUE}).")
  Duration webhookRetryMax;

  @Option(names = "--webhook-max-attempts", paramLabel = "N", defaultValue = "${env:TARN_WEBHOOK_MAX_ATTEMPTS:-8}",
      description = "Attempts before a delivery becomes a dead letter (env TARN_WEBHOOK_MAX_ATTEMPTS; default ${DEFAULT-VALUE}).")
  int webhookMaxAttempts;

  @Option(names = "--webhook-dead-letter-retention", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_WEBHOOK_DEAD_LETTER_RETENTION:-168h}",
      description = "How long dead letters are kept (env TARN_WEBHOOK_DEAD_LETTER_RETENTION; default ${DEFAULT-VALUE}).")
  Duration webhookDeadLetterRetention;

  @Option(names = "--webhook-backlog-cap", paramLabel = "N", defaultValue = "${env:TARN_WEBHOOK_BACKLOG_CAP:-100000}",
      description = "Pending deliveries per rule beyond which new ones go straight to dead letters as queue_full (env TARN_WEBHOOK_BACKLOG_CAP; default ${DEFAULT-VALUE}).")
  int webhookBacklogCap;

  @Option(names = "--live-tails", paramLabel = "N", defaultValue = "${env:TARN_LIVE_TAILS:-256}",
      description = "Live event tails (server-sent events) open at once on the server (env TARN_LIVE_TAILS; default ${DEFAULT-VALUE}).")
  int liveTails;

  @Option(names = "--live-tails-per-bucket", paramLabel = "N", defaultValue = "${env:TARN_LIVE_TAILS_PER_BUCKET:-32}",
      description = "Live event tails of one bucket open at once (env TARN_LIVE_TAILS_PER_BUCKET; default ${DEFAULT-VALUE}).")
  int liveTailsPerBucket;

  @Option(names = "--live-tails-per-user", paramLabel = "N", defaultValue = "${env:TARN_LIVE_TAILS_PER_USER:-8}",
      description = "Live event tails one user has open at once (env TARN_LIVE_TAILS_PER_USER; default ${DEFAULT-VALUE}).")
  int liveTailsPerUser;

  @Option(names = "--live-tail-queue", paramLabel = "N", defaultValue = "${env:TARN_LIVE_TAIL_QUEUE:-1000}",
      description = "Messages a live tail may have waiting for a slow client before its oldest are dropped (env TARN_LIVE_TAIL_QUEUE; default ${DEFAULT-VALUE}).")
  int liveTailQueue;

  @Option(names = "--webhook-concurrency", paramLabel = "N", defaultValue = "${env:TARN_WEBHOOK_CONCURRENCY:-256}",
      description = "Webhook deliveries in flight at once over all receivers (env TARN_WEBHOOK_CONCURRENCY; default ${DEFAULT-VALUE}).")
  int webhookConcurrency;

  @Option(names = "--webhook-per-host", paramLabel = "N", defaultValue = "${env:TARN_WEBHOOK_PER_HOST:-64}",
      description = "Webhook deliveries in flight at once to one receiver (scheme, host and port), each on its own kept-alive connection (env TARN_WEBHOOK_PER_HOST; default ${DEFAULT-VALUE}).")
  int webhookPerHost;

  @Option(names = "--request-head-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_REQUEST_HEAD_TIMEOUT:-30s}",
      description = "A request's line and headers must arrive within this time of their first byte; 0 turns it off (env TARN_REQUEST_HEAD_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration requestHeadTimeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_IDLE_TIMEOUT:-60s}",
      description = "A connection that sends nothing for this long, between requests or within a body, is closed (env TARN_IDLE_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--write-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_WRITE_TIMEOUT:-60s}",
      description = "A client that reads none of its response for this long is disconnected; 0 turns it off (env TARN_WRITE_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration writeTimeout;

  @Option(names = "--min-upload-rate", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_MIN_UPLOAD_RATE:-1KiB}",
      description = "Bytes per second a request body must average over each --upload-rate-window; 0 turns it off (env TARN_MIN_UPLOAD_RATE; default ${DEFAULT-VALUE}).")
  ByteSize minUploadRate;

  @Option(names = "--upload-rate-window", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_UPLOAD_RATE_WINDOW:-60s}",
      description = "The time over which the upload rate is averaged (env TARN_UPLOAD_RATE_WINDOW; default ${DEFAULT-VALUE}).")
  Duration uploadRateWindow;

  @Option(names = "--upload-rate-grace", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_UPLOAD_RATE_GRACE:-10s}",
      description = "The start of a body, not judged by the rate floor (env TARN_UPLOAD_RATE_GRACE; default ${DEFAULT-VALUE}).")
  Duration uploadRateGrace;

  @Option(names = "--max-connections", paramLabel = "N|auto", defaultValue = "${env:TARN_MAX_CONNECTIONS:-auto}",
      description = "Connections open at once; when all are open, a new one takes the place of the one waiting longest for a request, or is closed if every one has a request in progress. auto: three quarters of the open-file limit (env TARN_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
  String maxConnections;

  @Option(names = "--max-connections-per-address", paramLabel = "N",
      defaultValue = "${env:TARN_MAX_CONNECTIONS_PER_ADDRESS:-512}",
      description = "Connections open at once from one client address; 0: no such cap (env TARN_MAX_CONNECTIONS_PER_ADDRESS; default ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "${env:TARN_WORKERS:-0}",
      description = "Threads for storage work; 0: 16 per CPU, at least 64 (env TARN_WORKERS; default ${DEFAULT-VALUE}).")
  int workerThreads;

  @Option(names = "--worker-queue", paramLabel = "N", defaultValue = "${env:TARN_WORKER_QUEUE:-1024}",
      description = "Storage tasks waiting for a worker beyond which new requests get 503 SlowDown (env TARN_WORKER_QUEUE; default ${DEFAULT-VALUE}).")
  int workerQueue;

  @Option(names = "--verify-reads", paramLabel = "true|false", arity = "1",
      defaultValue = "${env:TARN_VERIFY_READS:-true}",
      description = "Verify every blob read against its block checksums (a damaged object is a 500 or a cut connection, never wrong bytes); false trades that for speed (env TARN_VERIFY_READS; default ${DEFAULT-VALUE}).")
  boolean verifyReads;

  @Option(names = "--scrub-rate", paramLabel = "SIZE", converter = ByteSize.Converter.class,
      defaultValue = "${env:TARN_SCRUB_RATE:-32MiB}",
      description = "Bytes per second the background scrub reads to re-verify every blob; 0 turns it off (env TARN_SCRUB_RATE; default ${DEFAULT-VALUE}).")
  ByteSize scrubRate;

  @Option(names = "--scrub-interval", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_SCRUB_INTERVAL:-168h}",
      description = "From the start of one background scrub pass to the start of the next; 0: back to back (env TARN_SCRUB_INTERVAL; default ${DEFAULT-VALUE}).")
  Duration scrubInterval;


  @Option(names = "--console-idle-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_CONSOLE_IDLE_TIMEOUT:-30m}",
      description = "A console session unused for this long ends (env TARN_CONSOLE_IDLE_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration consoleIdleTimeout;

  @Option(names = "--console-session-lifetime", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "${env:TARN_CONSOLE_SESSION_LIFETIME:-12h}",
      description = "A console session ends this long after sign-in, used or not; sessions also end when the server"
          + " restarts (env TARN_CONSOLE_SESSION_LIFETIME; default ${DEFAULT-VALUE}).")
  Duration consoleSessionLifetime;

  /** The connection limit: the given number, or {@code auto}'s share of the open-file limit. */
  int effectiveMaxConnections() {
    if (!maxConnections.strip().equalsIgnoreCase("auto")) {
      return Integer.parseInt(maxConnections.strip());
    }
    // Three quarters of the descriptors for sockets, the rest for blob files, RocksDB and webhooks:
    // a flood of connections must not leave the store unable to open a file.
    long fds = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : 0;
    return fds <= 0 ? 10_000 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, fds / 4 * 3));
  }

  /** The network options' first problem, naming its flag, or null. */
  private String networkOptionProblem() {
    try {
      if (effectiveMaxConnections() < 1) {
        return "--max-connections must be at least 1 or auto, not " + maxConnections;
      }
    } catch (NumberFormatException e) {
      return "--max-connections must be a number or auto, not '" + maxConnections + "'";
    }
    if (maxConnectionsPerAddress < 0) {
      return "--max-connections-per-address must be 0 or more, not " + maxConnectionsPerAddress;
    }
    if (workerThreads < 0) {
      return "--workers must be 0 or more, not " + workerThreads;
    }
    if (workerQueue < 1) {
      return "--worker-queue must be at least 1, not " + workerQueue;
    }
    if (minUploadRate.bytes() > 0 && uploadRateWindow.isZero()) {
      return "--upload-rate-window must be longer than 0 when --min-upload-rate is set";
    }
    if (consoleIdleTimeout.isZero()) {
      return "--console-idle-timeout must be longer than 0";
    }
    if (consoleSessionLifetime.isZero()) {
      return "--console-session-lifetime must be longer than 0";
    }
    return null;
  }

  S3Server.Limits limits() {
    return S3Server.Limits.defaults()
        .withTimeouts(idleTimeout, requestHeadTimeout, writeTimeout)
        .withUploadRate(minUploadRate.bytes(), uploadRateWindow, uploadRateGrace)
        .withConnections(effectiveMaxConnections(), maxConnectionsPerAddress);
  }

  SpaceLimits spaceLimits() {
    return new SpaceLimits(minFreeSpace.bytes(), spaceReserve.bytes(), testDiskCapacity.bytes());
  }

  /** The webhook options' first problem, naming its flag, or null. */
  private String webhookOptionProblem() {
    Map<String, Integer> atLeastOne = new LinkedHashMap<>();
    atLeastOne.put("--webhook-max-attempts", webhookMaxAttempts);
    atLeastOne.put("--webhook-backlog-cap", webhookBacklogCap);
    atLeastOne.put("--webhook-concurrency", webhookConcurrency);
    atLeastOne.put("--webhook-per-host", webhookPerHost);
    atLeastOne.put("--live-tails", liveTails);
    atLeastOne.put("--live-tails-per-bucket", liveTailsPerBucket);
    atLeastOne.put("--live-tails-per-user", liveTailsPerUser);
    for (Map.Entry<String, Integer> e : atLeastOne.entrySet()) {
      if (e.getValue() < 1) {
        return e.getKey() + " must be at least 1, not " + e.getValue();
      }
    }
    if (liveTailQueue < 2) {
      return "--live-tail-queue must be at least 2, not " + liveTailQueue; // one message besides the skipped notice
    }
    return null;
  }

  /** Every start-up failure is one line and an exit code per class (docs/ops/startup.md). */
  @Override
  public Integer call() {
    return StartupErrors.run(startup.debug(), System.err, this::start);
  }

  private int start() throws Exception {
    String problem = webhookOptionProblem();
    if (problem == null) {
      problem = networkOptionProblem();
    }
    if (problem == null) {
      problem = logOptions.problem();
    }
    if (problem != null) {
      throw new StartupFailure(Exit.USAGE, problem);
    }
    Optional<AccessLog> accessLog;
    try {
      logOptions.installServerLog();
      accessLog = logOptions.openAccessLog();
    } catch (IOException e) {
      // The exception names the file; a log that cannot be written is a usage problem of its path.
      throw new StartupFailure(Exit.USAGE, "cannot open the log file: " + e.getMessage(), e);
    }
    InetSocketAddress listen;
    DataMode mode;
    try {
      listen = parseAddress(address);
      mode = DataMode.parse(dataMode);
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(Exit.USAGE, e.getMessage());
    }
    Optional<PublicUrl> publicUrl = publicUrlOptions.publicUrl();
    TrustedProxies proxies = trustedProxyOptions.trustedProxies();
    if (inlineThreshold.bytes() > MAX_INLINE_THRESHOLD) {
      // An inline body is held in memory while it is received, and rewritten by RocksDB's compactions.
      throw new StartupFailure(Exit.USAGE, "--inline-threshold must be at most 1MiB, not " + inlineThreshold.bytes());
    }
    DataDirectory.Resolved where = DataDirectory.resolve(data, Path.of("").toAbsolutePath(), System.getenv());
    where.notes().forEach(System.out::println);
    data = where.path();
    DataDirectory.newStoreNote(data).ifPresent(System.out::println);
    // With its mode, then locked, before anything is written into it (TLS files, root credentials, the store).
    DataDirectory.prepare(where, mode);
    dataLock = DataDirectoryLock.acquire(data, mode);
    Optional<ServerTls> tls;
    try {
      tls = tlsOptions.configure(data, listen, Clock.systemUTC());
    } catch (TlsException e) {
      // One line naming the file and the problem; a stack trace would bury it.
      throw new StartupFailure(Exit.USAGE, e.getMessage(), e);
    }
    RootCredentials.Loaded root = RootCredentials.load(data, System.getenv("TARN_ROOT_ACCESS_KEY"), System.getenv("TARN_ROOT_SECRET_KEY"));
    AccessKey rootKey = root.key();
    System.out.println(root.whereLine()); // every start, also one that fails later; a new secret is shown when ready
    TarnStore store;
    Notifications notifications;
    // Notifications is the store's event sink and keeps its records in the store: created first (it
    // needs nothing of the store to be constructed), started with the store's records once it is open.
    try {
      DeliveryOptions delivery = DeliveryOptions.defaults()
          .withBacklogCap(webhookBacklogCap)
          .withConcurrency(webhookConcurrency, webhookPerHost)
          .withRetries(webhookMaxAttempts, webhookRetryInitial, webhookRetryMax, DeliveryOptions.defaults().jitter())
          .withRetention(webhookDeadLetterRetention, DeliveryOptions.defaults().attemptLogPerRule(),
              DeliveryOptions.defaults().attemptLogRetention());
      notifications = new Notifications(Clock.systemUTC(), region, ErrorResponses.HOST_ID, delivery,
          new NettySender(TransportOptions.defaults().withLimits(webhookConcurrency, webhookPerHost)), new DnsUrlGuard(),
          new LiveEvents.Limits(liveTailsPerBucket, liveTailsPerUser, liveTails, liveTailQueue));
      // Without TARN_MASTER_KEY the store loads <data>/master.key, or generates it only into a data
      // directory that holds no data, under RocksDB's lock.
      String envKey = System.getenv("TARN_MASTER_KEY");
      MasterKey masterKey = envKey == null || envKey.isBlank() ? null : MasterKey.load(data, envKey);
      store = TarnStore.open(StorageOptions.defaults(data).withMasterKey(masterKey).withDataMode(mode)
          .withAcceptWalLoss(acceptWalLoss).withSpace(spaceLimits()).withVerifyReads(verifyReads)
          .withInlineThreshold((int) inlineThreshold.bytes()), notifications, Clock.systemUTC());
      notifications.start(store.records(), store.sealer());
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(Exit.MASTER_KEY, e.getMessage(), e); // it names TARN_MASTER_KEY, never its value
    } catch (StorageException e) {
      throw StartupErrors.storeFailure(data, e);
    }
    int threads = workerThreads > 0 ? workerThreads : Math.max(64, 16 * Runtime.getRuntime().availableProcessors());
    WorkerPool workers = new WorkerPool(threads, workerQueue, daemonThreads("tarn-worker"));
    Clock clock = Clock.systemUTC();
    S3Server server;
    Drain drain = new Drain(); // the graceful stop's state, read per request by the front end and by readiness
    RecentErrors errors = new RecentErrors();
    ErrorCapture.install(errors); // for as long as the process runs: errors at shutdown are still errors
    try {
      // The root credentials belong to the first admin; rotating them revokes the previous root key.
      store.identity().bootstrapRoot(rootKey.principal().userId(), rootKey.principal().displayName(),
          rootKey.accessKeyId(), rootKey.secretKey());
      // The console presigns with the front end's SigV4 and the key lookup its verifier uses.
      ConsoleSessions consoleSessions = new ConsoleSessions(store.identity(),
          new QueryPresigner(new IdentityKeys(store.identity(), clock), region), clock,
          SessionOptions.defaults().withTimeouts(consoleIdleTimeout, consoleSessionLifetime).withPublicUrl(publicUrl));
      Optional<TarnMetrics> metrics = ServerMetrics.start(metricsOptions, Main.version(), clock, data, store, notifications);
      ApiHandler tarnApi = ServerMetrics.mount(new TarnApi(
          new AdminApi(store, store.identity(), store.integrity(), store.backups(List.of(TlsOptions.DIRECTORY)), clock,
              new ServerInfo(Main.version(), clock.instant(), data.toAbsolutePath().normalize(), notifications::backlog,
                  notifications::figures, errors)),
          new WebhooksApi(store, store.identity(), notifications, clock),
          consoleSessions, new ConsoleAssets(TarnApi.class.getClassLoader(), ConsoleAssets.ROOT)),
          metrics, metricsOptions, store, clock);
      S3Api api = new S3Api(store, store.identity(), tarnApi, notifications, clock,
          new S3Api.Config(region, domains == null ? List.of() : List.copyOf(domains), objectOwnership,
              publicAccessBlock));
      List<ExchangeListener> listeners = new java.util.ArrayList<>(2);
      accessLog.ifPresent(listeners::add);
      metrics.ifPresent(m -> listeners.add(m.exchanges()));
      try {
        server = S3Server.start(listen, api, workers, tls.map(ServerTls::sslContext).orElse(null),
            limits().withTrustedProxies(proxies), drain,
            ExchangeListener.of(listeners));
      } catch (Exception e) {
        throw StartupErrors.listenFailure(address, e);
      }
      S3Server started = server;
      metrics.ifPresent(m -> m.connections(started::openConnections, started::connectionEvictions));
      store.startScrubbing(scrubRate.bytes(), scrubInterval);
    } catch (Exception e) {
      notifications.close();
      store.close();
      workers.close();
      accessLog.ifPresent(AccessLog::close);
      throw e;
    }
    // Installed before the ready line: a signal sent as soon as it is printed gets the graceful stop.
    GracefulShutdown shutdown = new GracefulShutdown(drain, drainOptions.shutdownGrace(), List.of(
        new GracefulShutdown.Step("closing connections", server::close),
        // After the listener: the last exchanges are written.
        new GracefulShutdown.Step("closing the access log", () -> accessLog.ifPresent(AccessLog::close)),
        new GracefulShutdown.Step("stopping the workers", () -> {
          try {
            workers.shutdown(Duration.ofSeconds(10));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }),
        // Before the store: it persists the webhook queue's figures and cursors there.
        new GracefulShutdown.Step("stopping webhook deliveries", notifications::close),
        new GracefulShutdown.Step("closing the store", store::close)), GracefulShutdown.Say.log());
    shutdown.install();
    InetSocketAddress bound = server.address();
    String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : hostForUrl(bound.getAddress());
    String scheme = tls.isPresent() ? "https://" : "http://";
    String url = scheme + hostForUrl(bound.getAddress()) + ":" + bound.getPort();
    String localUrl = scheme + host + ":" + bound.getPort();
    PrintStream out = System.out;
    if (root.unshown()) {
      out.println("Generated root credentials (kept in " + root.file() + ", shown until a start succeeds):");
      out.println("  Access key: " + rootKey.accessKeyId());
      out.println("  Secret key: " + rootKey.secretKey());
      out.println("  Try: AWS_ACCESS_KEY_ID=" + rootKey.accessKeyId() + " AWS_SECRET_ACCESS_KEY=" + rootKey.secretKey()
          + " aws --endpoint-url " + publicUrl.map(PublicUrl::origin).orElse(localUrl) + " --region " + region
          + tls.filter(t -> t.selfSigned() && publicUrl.isEmpty())
              .map(t -> " --ca-bundle " + t.certificateFile().toAbsolutePath()).orElse("")
          + " s3 ls");
    }
    if (store.masterKeyGenerated()) {
      out.println("Generated a master key in " + data.resolve("master.key")
          + ": it encrypts the stored secret keys; back it up with the data directory.");
    }
    tls.ifPresent(t -> t.describe(clock.instant()).forEach(out::println));
    // One line, which tests and scripts wait for: the console's address is at its end.
    out.println("Tarn ready: S3 API on " + url + " (region " + region + ", data " + data.toAbsolutePath().normalize()
        + publicUrl.map(u -> ", public URL " + u).orElse("") + "), console: "
        + PublicUrlOptions.resolve(publicUrl, localUrl, "/_tarn/console/"));
    out.flush();
    if (root.unshown()) {
      try {
        RootCredentials.markShown(data); // shown by a start that got this far: never again
      } catch (java.io.IOException e) {
        // The server runs: a marker it could not write only means the secret is shown once more.
        System.err.println("could not record in " + root.file() + " that the root credentials were shown ("
            + e + "): the next start shows them again");
      }
    }
    LOG.log(System.Logger.Level.INFO, "Tarn " + Main.version() + " started: S3 API on " + url
        + publicUrl.map(u -> " (public URL " + u + ")").orElse("") + ", data "
        + data.toAbsolutePath().normalize() + ", access log " + accessLog.map(AccessLog::destination).orElse("off"));
    return shutdown.awaitAndStop();
  }

  static InetSocketAddress parseAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--address must be HOST:PORT, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--address port is not a number: '" + address + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--address port out of range: " + port);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** An address as the host part of a URL: IPv6 literals go in brackets (RFC 3986 section 3.2.2). */
  static String hostForUrl(java.net.InetAddress a) {
    String h = a.getHostAddress();
    return a instanceof java.net.Inet6Address ? "[" + h.replaceFirst("%.*$", "") + "]" : h;
  }
}
