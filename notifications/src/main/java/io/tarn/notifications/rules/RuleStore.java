package io.tarn.notifications.rules;

import io.tarn.notifications.WebhookException;
import io.tarn.notifications.WebhookService;
import io.tarn.storage.BucketRef;
import io.tarn.storage.RecordStore;
import io.tarn.storage.RecordTable;
import io.tarn.storage.SecretSealer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The rules, persisted in {@link RecordTable#NOTIFICATION_RULES} (key: bucket, 0x00, rule id) and
 * indexed in memory by bucket and by id. The index is copy-on-write: the event sink reads it under an
 * object key's lock on every mutation, so a read is one volatile load and a map lookup, and changes
 * (rare) copy it. Writes of records are serialized by this store's lock; the index itself is swapped
 * with a compare-and-set, so {@link #forget} (called from a bucket delete's commit, bucket lock held)
 * never waits for another thread's synced write of a rule record.
 *
 * <p>Records are sealed with the store's master key (the record key as associated data): a rule holds
 * its HMAC secret, which signing needs in plain, so it is kept encrypted at rest rather than hashed.
 */
public final class RuleStore {
  private static final int PAGE = 1000;

  private record Index(Map<String, List<Rule>> byBucket, Map<UUID, Rule> byId) {
    static final Index EMPTY = new Index(Map.of(), Map.of());
  }

  private final AtomicReference<Index> index = new AtomicReference<>(Index.EMPTY);
  private volatile RecordStore records;
  private volatile SecretSealer sealer;

  /** Loads every rule. Rules that do not decode are logged and skipped (not served, not deleted). */
  public synchronized void load(RecordStore store, SecretSealer sealer) {
    this.records = store;
    this.sealer = sealer;
    List<Rule> all = new ArrayList<>();
    byte[] after = null;
    while (true) {
      List<RecordStore.Entry> page = store.scan(RecordTable.NOTIFICATION_RULES, new byte[0], after, PAGE);
      for (RecordStore.Entry e : page) {
        try {
          all.add(Rule.decode(sealer.open(e.value(), e.key())));
        } catch (Wire.CorruptRecordException | io.tarn.storage.StorageException ex) {
          System.getLogger(RuleStore.class.getName()).log(System.Logger.Level.ERROR,
              "skipping unreadable webhook rule " + new String(e.key(), java.nio.charset.StandardCharsets.UTF_8)
                  + ": " + ex.getMessage());
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    index.set(build(all));
  }

  /** The bucket's rules, oldest first (empty when none): the sink's hot path. */
  public List<Rule> forBucket(String bucket) {
    return index.get().byBucket().getOrDefault(bucket, List.of());
  }

  /** The rule with this id, or null. */
  public Rule byId(UUID id) {
    return index.get().byId().get(id);
  }

  /** The rule with this id if it belongs to {@code bucket}, or null. */
  public Rule get(String bucket, UUID id) {
    Rule r = byId(id);
    return r != null && r.bucket().equals(bucket) ? r : null;
  }

  public Collection<Rule> all() {
    return index.get().byId().values();
  }

  /**
   * Persists a new rule of {@code bucket}, the incarnation its creator was authorized against.
   *
   * @throws WebhookException CONFLICT when the bucket has its maximum of rules
   * @throws io.tarn.storage.StorageException NO_SUCH_BUCKET when that bucket is gone
   */
  public synchronized void add(BucketRef bucket, Rule rule) {
    put(bucket, rule, () -> requireRoom(rule.bucket()));
  }

  /** @throws WebhookException CONFLICT when the bucket has its maximum of rules */
  public void requireRoom(String bucket) {
    if (forBucket(bucket).size() >= WebhookService.MAX_RULES_PER_BUCKET) {
      throw new WebhookException(WebhookException.Kind.CONFLICT, null, "bucket " + bucket + " already has "
          + WebhookService.MAX_RULES_PER_BUCKET + " webhook rules, the most a bucket may have");
    }
  }

  /** Persists a changed rule (same id and bucket) of {@code bucket}, as {@link #add}. */
  public synchronized void replace(BucketRef bucket, Rule rule) {
    put(bucket, rule, () -> {
      if (get(rule.bucket(), rule.id()) == null) { // deleted meanwhile, maybe with its bucket
        throw new WebhookException(WebhookException.Kind.NOT_FOUND, null, "no rule " + rule.id());
      }
    });
  }

  /** Deletes the rule's record and drops it from the index. Idempotent. */
  public synchronized void remove(Rule rule) {
    records().write(b -> b.delete(RecordTable.NOTIFICATION_RULES, key(rule.bucket(), rule.id())));
    forget(rule);
  }

  /** Drops the rule from the index only: its record was deleted in another batch (its bucket's). */
  public void forget(Rule rule) {
    swap(all -> all.removeIf(r -> r.id().equals(rule.id())));
  }

  /** Replaces the index with one built from its rules after {@code change}; retried if another swap won. */
  private void swap(Consumer<List<Rule>> change) {
    while (true) {
      Index before = index.get();
      List<Rule> all = new ArrayList<>(before.byId().values());
      change.accept(all);
      if (index.compareAndSet(before, build(all))) {
        return;
      }
    }
  }

  /**
   * Writes the rule's record and indexes it, both under the store's lock on its bucket (after {@code
   * check}, also under it): a deletion of the bucket either comes first (nothing is written) or finds the
   * rule in the index and deletes its record with the bucket.
   */
  private void put(BucketRef bucket, Rule rule, Runnable check) {
    if (!bucket.name().equals(rule.bucket())) {
      throw new IllegalArgumentException("rule of bucket " + rule.bucket() + " written for bucket " + bucket.name());
    }
    byte[] key = key(rule.bucket(), rule.id());
    byte[] sealed = sealer.seal(rule.encode(), key);
    records().writeInBucket(bucket, b -> {
      check.run();
      b.put(RecordTable.NOTIFICATION_RULES, key, sealed);
    }, () -> swap(all -> {
      all.removeIf(r -> r.id().equals(rule.id()));
      all.add(rule);
    }));
  }

  private RecordStore records() {
    RecordStore r = records;
    if (r == null) {
      throw new IllegalStateException("rules not loaded");
    }
    return r;
  }

  private static Index build(List<Rule> all) {
    Map<String, List<Rule>> byBucket = new HashMap<>();
    Map<UUID, Rule> byId = new HashMap<>();
    all.sort(Comparator.comparing(Rule::created).thenComparing(Rule::idString));
    for (Rule r : all) {
      byBucket.computeIfAbsent(r.bucket(), b -> new ArrayList<>()).add(r);
      byId.put(r.id(), r);
    }
    byBucket.replaceAll((b, l) -> List.copyOf(l));
    return new Index(Map.copyOf(byBucket), Map.copyOf(byId));
  }

  /** The record key of a rule (bucket, 0x00, id). */
  public static byte[] key(String bucket, UUID id) {
    return Wire.concat(Wire.utf8(bucket), new byte[] {0}, Wire.utf8(id.toString()));
  }
}
