package io.tarn.storage.blobs;

import io.tarn.storage.DataMode;
import java.nio.file.Path;
import java.util.Collection;

/** A {@link BlobStore} alone, for tests of the files themselves: its ledger records nothing. */
final class BlobStores {
  private BlobStores() {}

  static BlobStore open(Path dataDir, boolean fsync) {
    return BlobStore.open(dataDir, fsync, DataMode.PRIVATE, new BlobStore.Ledger() {
      @Override
      public void intend(String id) {}

      @Override
      public void forget(Collection<String> ids) {}
    });
  }
}
