/**
 * Internal to the storage module (other modules use {@code io.tarn.storage} only; {@code
 * StorageBoundaryTest} checks): users, access keys, API tokens and bucket grants. {@link
 * io.tarn.storage.identity.Identities} implements {@code IdentityStore} by handing each call to the
 * class of its concern ({@code Users}, {@code RootUser}, {@code AccessKeys}, {@code Tokens}, {@code
 * Grants}); {@code IdentityGuard} is how they run, {@code IdentityTables} their column families.
 * Secrets are sealed with the master key through {@link io.tarn.storage.identity.KeySealer}. Types
 * and members are public only where the other storage packages need them.
 */
package io.tarn.storage.identity;
