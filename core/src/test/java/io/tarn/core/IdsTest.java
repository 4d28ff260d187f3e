package io.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final Pattern RANDOM128 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern REQUEST_ID = Pattern.compile("[0-9A-F]{16}");

  @Test
  void random128IsThirtyTwoLowerCaseHexDigitsAndNeverRepeats() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.random128();
      assertTrue(RANDOM128.matcher(id).matches(), id);
      assertTrue(seen.add(id), "repeated " + id);
    }
  }

  @Test
  void randomBytesHasTheAskedLength() {
    assertEquals(0, Ids.randomBytes(0).length);
    assertEquals(1, Ids.randomBytes(1).length);
    assertEquals(32, Ids.randomBytes(32).length);
    assertEquals(4096, Ids.randomBytes(4096).length);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertTrue(seen.add(Hex.encode(Ids.randomBytes(16))));
    }
  }

  /** Always 16 digits: values below 2^60 (one in sixteen) are padded with leading zeros. */
  @Test
  void requestIdIsSixteenUpperCaseHexDigits() {
    Set<String> seen = new HashSet<>();
    boolean padded = false;
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.requestId();
      assertTrue(REQUEST_ID.matcher(id).matches(), id);
      assertTrue(seen.add(id), "repeated " + id);
      padded |= id.startsWith("0");
    }
    assertTrue(padded, "in 10,000 ids some start with a zero digit");
  }

  @Test
  void idsFromSeveralThreadsAreWellFormedAndDistinct() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<List<String>>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        tasks.add(() -> {
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            ids.add(Ids.random128());
            ids.add(Ids.requestId());
          }
          return ids;
        });
      }
      Set<String> all = new HashSet<>();
      for (Future<List<String>> f : pool.invokeAll(tasks)) {
        for (String id : f.get()) {
          assertTrue(RANDOM128.matcher(id).matches() || REQUEST_ID.matcher(id).matches(), id);
          assertTrue(all.add(id), "repeated across threads: " + id);
        }
      }
      assertEquals(threads * perThread * 2, all.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
