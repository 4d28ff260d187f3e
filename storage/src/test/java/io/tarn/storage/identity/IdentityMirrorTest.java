package io.tarn.storage.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tarn.storage.meta.Codec;
import io.tarn.storage.meta.ColumnFamily;
import io.tarn.storage.meta.MetaStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity mirror's formats: a mirror written before it carried bucket policies still restores. */
class IdentityMirrorTest {
  @TempDir Path dir;

  private static byte[] grantKey(String bucket) {
    return (bucket + "\0").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFormatOneMirrorRestoresItsFourTables() throws Exception {
    // Format 1, as written before bucket policies: users, keys, tokens, grants.
    Codec.Out out = new Codec.Out(1);
    out.string(ColumnFamily.USERS.name()).varint(1).bytes(new byte[] {'i', 1}).bytes(new byte[] {7});
    out.string(ColumnFamily.KEYS.name()).varint(0);
    out.string(ColumnFamily.TOKENS.name()).varint(0);
    out.string(ColumnFamily.GRANTS.name()).varint(2).bytes(grantKey("kept")).bytes(new byte[] {1})
        .bytes(grantKey("gone")).bytes(new byte[] {2});
    Files.write(dir.resolve(IdentityMirror.FILE), out.toBytes());
    try (MetaStore meta = MetaStore.open(dir.resolve("meta"), false)) {
      IdentityMirror.Restored r;
      try (MetaStore.Batch b = meta.batch()) {
        r = IdentityMirror.restore(dir, b, bucket -> bucket.equals("kept"));
        meta.commit(b, "test");
      }
      assertEquals(new IdentityMirror.Restored(1, 0, 0, 1, 0), r);
      assertArrayEquals(new byte[] {7}, meta.get(ColumnFamily.USERS, new byte[] {'i', 1}));
      assertArrayEquals(new byte[] {1}, meta.get(ColumnFamily.GRANTS, grantKey("kept")));
      assertNull(meta.get(ColumnFamily.GRANTS, grantKey("gone")), "a grant of a bucket that is gone");
    }
  }
}
