package io.tarn.storage.identity;

import io.tarn.storage.EmailAddress;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import io.tarn.storage.objects.ObjectTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity side's column families of the {@link MetaStore}: their key layouts and records.
 *
 * <ul>
 *   <li>{@code users}: {@code 'i' id} holds the user; {@code 'n' name} holds the id of the user with
 *       that name (the uniqueness index); {@code 'e' lower-cased e-mail} holds the id of the user with
 *       that address ({@link EmailAddress#key}: addresses are unique case-insensitively).
 *   <li>{@code keys}: {@code 'k' accessKeyId} holds the key; {@code 'u' userId accessKeyId} marks it
 *       as one of the user's keys (user ids have a fixed length, so the prefix is unambiguous).
 *   <li>{@code grants}: buckets' ACLs, {@code objects.BucketAcls}'s.
 *   <li>{@code tokens}: {@code 'h' sha256(token)} holds the API token (looked up by the hash of the
 *       presented value, which is never stored); {@code 'u' userId tokenId} holds that hash, so a
 *       user's tokens are one range and one can be revoked by id.
 * </ul>
 */
final class IdentityTables {
  private static final byte USER_BY_ID = 'i';
  private static final byte USER_BY_NAME = 'n';
  private static final byte USER_BY_EMAIL = 'e';
  private static final byte KEY_BY_ID = 'k';
  private static final byte KEY_OF_USER = 'u';
  private static final byte TOKEN_BY_HASH = 'h';
  private static final byte TOKEN_OF_USER = 'u';
  /** The value of an index entry whose key says it all (a user's key). */
  private static final byte INDEX_FORMAT = 1;

  private final MetaStore meta;

  IdentityTables(MetaStore meta) {
    this.meta = meta;
  }

  // ---- key layouts

  static byte[] userById(String id) {
    return tagged(USER_BY_ID, Keys.utf8(id));
  }

  static byte[] userByName(String name) {
    return tagged(USER_BY_NAME, Keys.utf8(name));
  }

  /** The index entry of {@code email}, under its case-insensitive form. */
  static byte[] userByEmail(String email) {
    return tagged(USER_BY_EMAIL, Keys.utf8(EmailAddress.key(email)));
  }

  static byte[] accessKey(String accessKeyId) {
    return tagged(KEY_BY_ID, Keys.utf8(accessKeyId));
  }

  static byte[] keysOfUser(String userId) {
    return tagged(KEY_OF_USER, Keys.utf8(userId));
  }

  static byte[] keyOfUser(String userId, String accessKeyId) {
    return Keys.concat(keysOfUser(userId), Keys.utf8(accessKeyId));
  }

  static byte[] tokenByHash(byte[] sha256) {
    return tagged(TOKEN_BY_HASH, sha256);
  }

  /** The range of {@code userId}'s token index entries (user ids have a fixed length). */
  static byte[] tokensOfUser(String userId) {
    return tagged(TOKEN_OF_USER, Keys.utf8(userId));
  }

  static byte[] tokenOfUser(String userId, String tokenId) {
    return Keys.concat(tokensOfUser(userId), Keys.utf8(tokenId));
  }


  private static byte[] tagged(byte tag, byte[] rest) {
    return Keys.concat(new byte[] {tag}, rest);
  }

  // ---- users

  UserRecord user(String id) {
    byte[] v = meta.get(ColumnFamily.USERS, userById(id));
    return v == null ? null : UserRecord.decode(v);
  }

  /** The id of the user named {@code name}, or {@code null}. */
  String userIdByName(String name) {
    byte[] v = meta.get(ColumnFamily.USERS, userByName(name));
    return v == null ? null : UserRecord.decodeId(v);
  }

  /** The id of the user whose e-mail address is {@code email} (in any case), or {@code null}. */
  String userIdByEmail(String email) {
    byte[] v = meta.get(ColumnFamily.USERS, userByEmail(email));
    return v == null ? null : UserRecord.decodeId(v);
  }

  /** All users by id. */
  Map<String, UserRecord> users() {
    Map<String, UserRecord> out = new TreeMap<>();
    meta.scan(ColumnFamily.USERS, new byte[] {USER_BY_ID}, (k, v) -> out.put(Keys.text(k, 1), UserRecord.decode(v)));
    return out;
  }

  /**
   * The user and its index entries; {@code was} is the record it replaces (null for a new user, or where the
   * e-mail address does not change), whose e-mail index entry goes if the address changed, in the same batch.
   */
  void putUser(MetaStore.Batch b, String id, UserRecord r, UserRecord was) {
    b.put(ColumnFamily.USERS, userById(id), r.encode());
    b.put(ColumnFamily.USERS, userByName(r.name()), UserRecord.encodeId(id));
    String old = was == null ? null : was.email();
    if (old != null && (r.email() == null || !EmailAddress.key(old).equals(EmailAddress.key(r.email())))) {
      b.delete(ColumnFamily.USERS, userByEmail(old));
    }
    if (r.email() != null) {
      b.put(ColumnFamily.USERS, userByEmail(r.email()), UserRecord.encodeId(id));
    }
  }

  void deleteUser(MetaStore.Batch b, String id, UserRecord r) {
    b.delete(ColumnFamily.USERS, userById(id));
    b.delete(ColumnFamily.USERS, userByName(r.name()));
    if (r.email() != null) {
      b.delete(ColumnFamily.USERS, userByEmail(r.email()));
    }
  }

  // ---- access keys

  KeyRecord key(String accessKeyId) {
    byte[] v = meta.get(ColumnFamily.KEYS, accessKey(accessKeyId));
    return v == null ? null : KeyRecord.decode(v);
  }

  /** All access keys by id. */
  Map<String, KeyRecord> keys() {
    Map<String, KeyRecord> out = new TreeMap<>();
    meta.scan(ColumnFamily.KEYS, new byte[] {KEY_BY_ID}, (k, v) -> out.put(Keys.text(k, 1), KeyRecord.decode(v)));
    return out;
  }

  /** The ids of {@code userId}'s keys, from its key index. */
  List<String> keyIdsOf(String userId) {
    byte[] prefix = keysOfUser(userId);
    List<String> out = new ArrayList<>();
    meta.scan(ColumnFamily.KEYS, prefix, (k, v) -> out.add(Keys.text(k, prefix.length)));
    return out;
  }

  /** The key and its entry in its user's key index. */
  void putKey(MetaStore.Batch b, String accessKeyId, KeyRecord r) {
    b.put(ColumnFamily.KEYS, accessKey(accessKeyId), r.encode());
    b.put(ColumnFamily.KEYS, keyOfUser(r.userId(), accessKeyId), new byte[] {INDEX_FORMAT});
  }

  void deleteKey(MetaStore.Batch b, String accessKeyId, String userId) {
    b.delete(ColumnFamily.KEYS, accessKey(accessKeyId));
    b.delete(ColumnFamily.KEYS, keyOfUser(userId, accessKeyId));
  }

  // ---- API tokens

  /** The token whose value hashes to {@code hash}, or {@code null}. */
  TokenRecord token(byte[] hash) {
    byte[] v = meta.get(ColumnFamily.TOKENS, tokenByHash(hash));
    return v == null ? null : TokenRecord.decode(v);
  }

  /** The hashes of {@code userId}'s tokens by token id, from its token index. */
  Map<String, byte[]> tokenHashesOf(String userId) {
    byte[] prefix = tokensOfUser(userId);
    Map<String, byte[]> out = new TreeMap<>();
    meta.scan(ColumnFamily.TOKENS, prefix, (k, v) -> out.put(Keys.text(k, prefix.length), TokenRecord.decodeIndex(v)));
    return out;
  }

  /** {@code userId}'s token {@code tokenId}, through its index entry, or {@code null}. */
  TokenRecord tokenById(String userId, String tokenId) {
    byte[] index = meta.get(ColumnFamily.TOKENS, tokenOfUser(userId, tokenId));
    return index == null ? null : token(TokenRecord.decodeIndex(index));
  }

  /** Every token, by hash (a scan: admin operations only). */
  Map<byte[], TokenRecord> allTokens() {
    Map<byte[], TokenRecord> out = new java.util.LinkedHashMap<>();
    meta.scan(ColumnFamily.TOKENS, new byte[] {TOKEN_BY_HASH},
        (k, v) -> out.put(Arrays.copyOfRange(k, 1, k.length), TokenRecord.decode(v)));
    return out;
  }

  /** The token under its hash and its entry in its user's token index. */
  void putToken(MetaStore.Batch b, byte[] hash, TokenRecord r) {
    b.put(ColumnFamily.TOKENS, tokenByHash(hash), r.encode());
    b.put(ColumnFamily.TOKENS, tokenOfUser(r.userId(), r.id()), TokenRecord.encodeIndex(hash));
  }

  void deleteToken(MetaStore.Batch b, byte[] hash, String userId, String tokenId) {
    b.delete(ColumnFamily.TOKENS, tokenByHash(hash));
    b.delete(ColumnFamily.TOKENS, tokenOfUser(userId, tokenId));
  }
}
