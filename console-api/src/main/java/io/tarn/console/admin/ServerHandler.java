package io.tarn.console.admin;

import io.tarn.console.Json;
import io.tarn.core.api.ApiResponse;
import io.tarn.storage.BucketInfo;
import io.tarn.storage.BucketStats;
import io.tarn.storage.IdentityStore;
import io.tarn.storage.ObjectStore;
import io.tarn.storage.StorageException;
import io.tarn.storage.UserInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/** {@code GET /whoami} and {@code GET /info}. */
final class ServerHandler {
  private final ObjectStore store;
  private final IdentityStore identity;
  private final Directory directory;
  private final Clock clock;
  private final ServerInfo info;

  ServerHandler(ObjectStore store, IdentityStore identity, Directory directory, Clock clock, ServerInfo info) {
    this.store = store;
    this.identity = identity;
    this.directory = directory;
    this.clock = clock;
    this.info = info;
  }

  ApiResponse whoami(Call c) {
    // From the store rather than the principal: the answer shows the user as it is now.
    UserInfo me = directory.user(c.caller().userId());
    return Json.response(200, new Views.Whoami(directory.userView(me), c.caller().accessKeyId()));
  }

  ApiResponse info(Call c) {
    long free;
    long total;
    try {
      FileStore disk = Files.getFileStore(info.dataDir());
      free = disk.getUsableSpace();
      total = disk.getTotalSpace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file store of " + info.dataDir(), e);
    }
    long buckets = 0;
    long objects = 0;
    long bytes = 0;
    for (BucketInfo b : store.listBuckets()) {
      try {
        BucketStats s = identity.stats(b.name());
        buckets++;
        objects += s.objects();
        bytes += s.bytes();
      } catch (StorageException e) {
        // Deleted between the listing and its scan: it no longer counts.
        if (e.kind() != StorageException.Kind.NO_SUCH_BUCKET) {
          throw e;
        }
      }
    }
    Long backlog = info.notificationBacklog() == null ? null : info.notificationBacklog().getAsLong();
    long uptime = Math.max(0, Duration.between(info.started(), clock.instant()).getSeconds());
    return Json.response(200, new Views.Info(info.version(), uptime, info.dataDir().toString(), free, total, buckets,
        objects, bytes, identity.users().size(),
        backlog, info.webhookRules() == null ? null
            : InfoViews.webhooks(backlog == null ? 0 : backlog, info.webhookRules().get()),
        InfoViews.errors(info.errors())));
  }
}
