package io.tarn.storage.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tarn.storage.PublicAccessBlock;
import io.tarn.storage.StorageException;
import org.junit.jupiter.api.Test;

/** The policy and public access block records: format 1, round trip, bytes pinned, damage refused. */
class BucketPoliciesEncodingTest {
  @Test
  void policyRecordRoundTripsAndItsBytesArePinned() {
    String text = "{\"Version\":\"2012-10-17\",\"Statement\":[]} \u00e9";
    byte[] v = BucketPolicies.encodePolicy(text);
    assertEquals(1, v[0], "format byte");
    assertEquals(text, BucketPolicies.decodePolicy(v));
    assertArrayEquals(new byte[] {1, 3, 'a', 'b'}, BucketPolicies.encodePolicy("ab"));
  }

  @Test
  void blockRecordRoundTripsEveryCombination() {
    for (int bits = 0; bits < 16; bits++) {
      PublicAccessBlock b = PublicAccessBlock.ofBits(bits);
      byte[] v = BucketPolicies.encodeBlock(b);
      assertArrayEquals(new byte[] {1, (byte) bits}, v);
      assertEquals(b, BucketPolicies.decodeBlock(v));
    }
    assertEquals(new PublicAccessBlock(true, false, false, true), BucketPolicies.decodeBlock(new byte[] {1, 9}));
  }

  @Test
  void unknownFormatsBitsAndTrailingBytesAreRefused() {
    assertThrows(StorageException.class, () -> BucketPolicies.decodeBlock(new byte[] {2, 0}));
    assertThrows(StorageException.class, () -> BucketPolicies.decodeBlock(new byte[] {1, 16}));
    assertThrows(StorageException.class, () -> BucketPolicies.decodeBlock(new byte[] {1, 0, 0}));
    assertThrows(StorageException.class, () -> BucketPolicies.decodePolicy(new byte[] {2, 1}));
  }
}
