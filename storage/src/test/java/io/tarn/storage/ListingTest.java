package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ListObjects: UTF-8 byte order, prefixes, delimiters, markers, page sizes. */
class ListingTest extends StoreTestSupport {
  /** Deliberately unsorted; includes keys whose UTF-16 order differs from their UTF-8 order. */
  private static final List<String> KEYS = List.of("a\u00e9", "a~", "a/b", "a/c/d", "a/c/e", "a", "../x",
      "\uD83D\uDE00/smile", "\uFFFD", "b/", "b//c", "a/b/", "z");

  @BeforeEach
  void fill() {
    store.createBucket("bkt", "r", OWNER);
    store.createBucket("bkt2", "r", OWNER); // a neighbouring bucket must never leak into listings
    for (String k : KEYS) {
      put("bkt", k, utf8(k));
    }
    put("bkt2", "a/zzz", utf8("other bucket"));
  }

  private static List<String> utf8Sorted(List<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
    return sorted;
  }

  private static List<String> keysOf(ListPage page) {
    return page.objects().stream().map(ObjectInfo::key).toList();
  }

  @Test
  void listsInUtf8ByteOrder() {
    ListPage page = store.list("bkt", "", null, null, 1000);
    assertEquals(utf8Sorted(KEYS), keysOf(page));
    assertFalse(page.truncated());
    assertNull(page.nextMarker());
    // U+FFFD (EF BF BD) sorts before the emoji (F0 9F ...) in UTF-8, after it in UTF-16.
    List<String> keys = keysOf(page);
    assertTrue(keys.indexOf("\uFFFD") < keys.indexOf("\uD83D\uDE00/smile"));
    ObjectInfo first = page.objects().get(0);
    assertEquals(first.key().getBytes(StandardCharsets.UTF_8).length, first.size());
  }

  @Test
  void prefixAndDelimiter() {
    ListPage page = store.list("bkt", "a/", "/", null, 1000);
    assertEquals(List.of("a/b"), keysOf(page));
    assertEquals(List.of("a/b/", "a/c/"), page.commonPrefixes());

    ListPage top = store.list("bkt", "", "/", null, 1000);
    assertEquals(List.of("../", "a/", "b/", "\uD83D\uDE00/"), top.commonPrefixes());
    assertEquals(List.of("a", "a~", "a\u00e9", "z", "\uFFFD"), keysOf(top));

    ListPage doubled = store.list("bkt", "b/", "/", null, 1000);
    assertEquals(List.of("b/"), keysOf(doubled));
    assertEquals(List.of("b//"), doubled.commonPrefixes());

    ListPage multiCharDelimiter = store.list("bkt", "a", "/c", null, 1000);
    assertEquals(List.of("a/c"), multiCharDelimiter.commonPrefixes());
    assertEquals(List.of("a", "a/b", "a/b/", "a~", "a\u00e9"), keysOf(multiCharDelimiter));

    assertEquals(List.of(), keysOf(store.list("bkt", "nothing-here", "/", null, 1000)));
  }

  @Test
  void pagingVisitsEveryEntryOnceWithAndWithoutDelimiter() {
    for (String delimiter : Arrays.asList(null, "/")) {
      List<String> all = new ArrayList<>();
      ListPage full = store.list("bkt", "", delimiter, null, 1000);
      List<String> expected = new ArrayList<>(keysOf(full));
      expected.addAll(full.commonPrefixes());
      String marker = null;
      int pages = 0;
      while (true) {
        ListPage page = store.list("bkt", "", delimiter, marker, 2);
        pages++;
        all.addAll(keysOf(page));
        all.addAll(page.commonPrefixes());
        assertTrue(page.objects().size() + page.commonPrefixes().size() <= 2);
        if (!page.truncated()) {
          assertNull(page.nextMarker());
          break;
        }
        marker = page.nextMarker();
        assertTrue(pages < 100, "paging must end");
      }
      assertEquals(utf8Sorted(expected), utf8Sorted(all), "delimiter " + delimiter);
      assertEquals(all.size(), all.stream().distinct().count(), "no entry twice");
    }
  }

  @Test
  void markerResumesStrictlyAfterAKeyOrACommonPrefix() {
    assertEquals(List.of("a/c/e"), keysOf(store.list("bkt", "a/", null, "a/c/d", 1000)));
    ListPage afterPrefix = store.list("bkt", "", "/", "a/", 1000);
    assertFalse(afterPrefix.commonPrefixes().contains("a/"));
    assertEquals(List.of("a~", "a\u00e9", "z", "\uFFFD"), keysOf(afterPrefix));
    // A marker inside a common prefix does not bring the prefix back.
    assertFalse(store.list("bkt", "", "/", "a/b", 1000).commonPrefixes().contains("a/"));
    // A marker before the prefix starts at the prefix; one after everything gives an empty page.
    assertEquals(List.of("b/", "b//c"), keysOf(store.list("bkt", "b", null, "a", 1000)));
    assertEquals(List.of(), keysOf(store.list("bkt", "", null, "\uDBFF\uDFFF", 1000)));
  }

  @Test
  void pageSizes() {
    ListPage zero = store.list("bkt", "", null, null, 0);
    assertEquals(List.of(), zero.objects());
    assertFalse(zero.truncated(), "MaxKeys=0 answers IsTruncated=false");
    ListPage one = store.list("bkt", "", null, null, 1);
    assertEquals(List.of("../x"), keysOf(one));
    assertTrue(one.truncated());
    assertEquals("../x", one.nextMarker());
    // Exactly filling the page is not truncation.
    ListPage exact = store.list("bkt", "a/c/", null, null, 2);
    assertEquals(2, exact.objects().size());
    assertFalse(exact.truncated());
    assertThrows(IllegalArgumentException.class, () -> store.list("bkt", "", null, null, 1001));
    assertThrows(IllegalArgumentException.class, () -> store.list("bkt", "", null, null, -1));
  }

  @Test
  void keysWithNulBytesAndDeletedKeys() {
    put("bkt", "n\u0000a", utf8("x"));
    put("bkt", "n", utf8("x"));
    put("bkt", "n\u0001", utf8("x"));
    assertEquals(List.of("n", "n\u0000a", "n\u0001"), keysOf(store.list("bkt", "n", null, null, 1000)));
    assertEquals(List.of("n\u0000"), store.list("bkt", "n", "\u0000", null, 1000).commonPrefixes());
    store.delete("bkt", "n\u0000a", CTX);
    assertEquals(List.of("n", "n\u0001"), keysOf(store.list("bkt", "n", null, null, 1000)));
  }
}
