package io.tarn.storage.identity;

import javax.crypto.AEADBadTagException;

/** Seals and opens access key secrets with the store's master key ({@link MasterKey}). */
public interface KeySealer {
  /** {@code plain} sealed, authenticating {@code aad} too. */
  byte[] seal(byte[] plain, byte[] aad);

  /** The plain bytes of {@code sealed}; fails if it or {@code aad} is not what was sealed. */
  byte[] open(byte[] sealed, byte[] aad) throws AEADBadTagException;
}
