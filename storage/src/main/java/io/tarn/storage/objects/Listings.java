package io.tarn.storage.objects;

import io.tarn.storage.ListPage;
import io.tarn.storage.ObjectInfo;
import io.tarn.storage.UploadInfo;
import io.tarn.storage.UploadsPage;
import io.tarn.storage.meta.Keys;
import io.tarn.storage.meta.MetaStore;
import java.util.ArrayList;
import java.util.List;

/**
 * ListObjects and ListMultipartUploads over the sorted column families
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html). One seek to the
 * start, then one step per entry returned; a common prefix costs one seek past all its keys, so a
 * page never iterates the keys it rolls up. An entry (key or common prefix) is returned only if it
 * sorts strictly after the marker: a page that ended on a common prefix resumes after all of it.
 */
public final class Listings {
  static final int MAX_PAGE = 1000;

  private final StoreContext c;

  public Listings(StoreContext c) {
    this.c = c;
  }

  public ListPage objects(String bucket, String prefix, String delimiter, String after, int maxKeys) {
    String pfx = prefix == null ? "" : prefix;
    String delim = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    checkMax(maxKeys);
    c.requireBucket(bucket);
    List<ObjectInfo> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (maxKeys == 0) {
      // S3 answers MaxKeys=0 with an empty, untruncated page.
      return new ListPage(objects, prefixes, false, null);
    }
    byte[] base = ObjectTables.bucketPrefix(bucket);
    byte[] start = Keys.concat(base, Keys.utf8(pfx));
    byte[] afterBytes = after == null ? null : Keys.utf8(after);
    if (afterBytes != null && Keys.compare(Keys.concat(base, afterBytes), start) > 0) {
      start = Keys.concat(base, afterBytes);
    }
    byte[] rangePrefix = Keys.concat(base, Keys.utf8(pfx));
    boolean truncated = false;
    String last = null;
    try (MetaStore.Cursor cur = c.tables().objects()) {
      cur.seek(start);
      while (cur.valid()) {
        byte[] k = cur.key();
        if (!Keys.startsWith(k, rangePrefix)) {
          break;
        }
        String key = ObjectTables.keyOf(k, base.length);
        String common = commonPrefix(key, pfx, delim);
        String name = common != null ? common : key;
        byte[] nameBytes = Keys.utf8(name);
        if (afterBytes == null || Keys.compare(nameBytes, afterBytes) > 0) {
          if (objects.size() + prefixes.size() == maxKeys) {
            truncated = true;
            break;
          }
          if (common != null) {
            prefixes.add(common);
          } else {
            objects.add(ObjectRecord.decode(cur.value()).toInfo(bucket, key));
          }
          last = name;
        }
        if (common == null) {
          cur.next();
        } else {
          byte[] next = Keys.successor(Keys.concat(base, nameBytes));
          if (next == null) {
            break;
          }
          cur.seek(next);
        }
      }
    }
    return new ListPage(objects, prefixes, truncated, truncated ? last : null);
  }

  /** The common prefix {@code key} rolls up into, or {@code null} if it is listed itself. */
  private static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter == null) {
      return null;
    }
    int i = key.indexOf(delimiter, prefix.length());
    return i < 0 ? null : key.substring(0, i + delimiter.length());
  }

  private static void checkMax(int max) {
    if (max < 0 || max > MAX_PAGE) {
      throw new IllegalArgumentException("page size must be 0.." + MAX_PAGE + ": " + max);
    }
  }

  public UploadsPage uploads(String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker,
      int maxUploads) {
    String pfx = prefix == null ? "" : prefix;
    String delim = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    checkMax(maxUploads);
    c.requireBucket(bucket);
    List<UploadInfo> uploads = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (maxUploads == 0) {
      return new UploadsPage(uploads, prefixes, false, null, null);
    }
    byte[] base = ObjectTables.bucketPrefix(bucket);
    byte[] rangePrefix = Keys.concat(base, Keys.escape(Keys.utf8(pfx)));
    byte[] start = rangePrefix;
    byte[] skipExactly = null;
    byte[] markerBytes = keyMarker == null ? null : Keys.utf8(keyMarker);
    if (keyMarker != null) {
      // With an upload-id marker, uploads of the marker key after that id follow; without, the
      // listing resumes after every upload of the marker key.
      byte[] raw = UploadIds.parse(uploadIdMarker);
      byte[] from = raw != null ? ObjectTables.uploadKey(bucket, keyMarker, raw) : ObjectTables.afterUploadsOf(bucket, keyMarker);
      if (raw != null) {
        skipExactly = from;
      }
      if (Keys.compare(from, start) > 0) {
        start = from;
      }
    }
    boolean truncated = false;
    String lastKey = null;
    String lastId = null;
    try (MetaStore.Cursor cur = c.tables().uploads()) {
      cur.seek(start);
      while (cur.valid()) {
        byte[] k = cur.key();
        if (!Keys.startsWith(k, rangePrefix)) {
          break;
        }
        UploadRecord rec = UploadRecord.decode(cur.value());
        String common = commonPrefix(rec.key(), pfx, delim);
        boolean skip = skipExactly != null && Keys.compare(k, skipExactly) == 0;
        if (common != null) {
          skip = markerBytes != null && Keys.compare(Keys.utf8(common), markerBytes) <= 0;
        }
        if (!skip) {
          if (uploads.size() + prefixes.size() == maxUploads) {
            truncated = true;
            break;
          }
          if (common != null) {
            prefixes.add(common);
            lastKey = common;
            lastId = null;
          } else {
            String id = UploadIds.text(ObjectTables.uploadRawOf(k));
            uploads.add(rec.toInfo(bucket, id));
            lastKey = rec.key();
            lastId = id;
          }
        }
        if (common == null) {
          cur.next();
        } else {
          byte[] next = Keys.successor(Keys.concat(base, Keys.escape(Keys.utf8(common))));
          if (next == null) {
            break;
          }
          cur.seek(next);
        }
      }
    }
    return new UploadsPage(uploads, prefixes, truncated, truncated ? lastKey : null, truncated ? lastId : null);
  }
}
