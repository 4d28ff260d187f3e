package io.tarn.storage;

/**
 * Encrypts small records at rest with the store's master key (AES-256-GCM), binding each to a
 * context (e.g. its record key) so a sealed value moved elsewhere does not open. For modules that
 * keep secrets in the record tables, such as webhook rules with their HMAC secrets.
 */
public interface SecretSealer {
  byte[] seal(byte[] plain, byte[] context);

  /** @throws StorageException IO if the value was altered, moved, or sealed under another key */
  byte[] open(byte[] sealed, byte[] context);
}
