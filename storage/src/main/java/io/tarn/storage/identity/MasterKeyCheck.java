package io.tarn.storage.identity;

import io.tarn.storage.StorageException;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;

/**
 * Checks that a master key is the one a metadata store was created with, by opening a value sealed
 * at the first open (in {@code sys}); stores that value if there is none yet.
 */
public final class MasterKeyCheck {
  static final String MASTER_CHECK = "identity.master-key-check";
  private static final byte[] CHECK_AAD = "tarn-master-key-check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHECK_PLAIN = "tarn master key check v1".getBytes(StandardCharsets.US_ASCII);

  private MasterKeyCheck() {}

  public static void verify(MetaStore meta, KeySealer key) {
    byte[] check = meta.sys(MASTER_CHECK);
    if (check == null) {
      try (MetaStore.Batch b = meta.batch()) {
        b.putSys(MASTER_CHECK, key.seal(CHECK_PLAIN, CHECK_AAD));
        meta.commit(b, "store the master key check");
      }
      return;
    }
    try {
      if (MessageDigest.isEqual(CHECK_PLAIN, key.open(check, CHECK_AAD))) {
        return;
      }
    } catch (AEADBadTagException e) {
      // the wrong key: reported below
    }
    throw new StorageException(StorageException.Kind.MASTER_KEY,
        "the master key does not match the one this data directory was created with (TARN_MASTER_KEY?)");
  }
}
