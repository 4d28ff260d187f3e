package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFormatTest {
  @TempDir Path dir;

  private StorageException refused(DataFormat format) {
    StorageException e = assertThrows(StorageException.class, () -> format.check(dir));
    assertEquals(StorageException.Kind.INCOMPATIBLE, e.kind());
    return e;
  }

  @Test
  void aDataDirectoryWithoutTheFileIsFormatOneAndIsStampedAfterItsOpen() throws Exception {
    DataFormat format = DataFormat.thisBuild();
    DataFormat.Found found = format.check(dir);
    assertEquals(new DataFormat.Found(1, Set.of(), false), found);
    assertFalse(Files.exists(dir.resolve(DataFormat.FILE)), "check writes nothing");

    format.upgrade(dir, found, "tarn 1.2.3");

    assertEquals(new DataFormat.Found(1, Set.of("acls", "usage-counters"), true), format.check(dir));
    String text = Files.readString(dir.resolve(DataFormat.FILE));
    assertTrue(text.contains("\nformat=1\nfeatures=acls,usage-counters\nwritten-by=tarn 1.2.3\n"), text);
  }

  @Test
  void anUpToDateFileIsNotRewritten() throws Exception {
    DataFormat format = DataFormat.thisBuild();
    format.upgrade(dir, format.check(dir), "tarn 1.0");
    format.upgrade(dir, format.check(dir), "tarn 1.1");
    assertTrue(Files.readString(dir.resolve(DataFormat.FILE)).contains("written-by=tarn 1.0\n"),
        "the build that wrote the format, not the last that opened it");
  }

  @Test
  void aNewerFormatOrAnUnknownFeatureOrAnotherFileIsRefused() throws Exception {
    Files.writeString(dir.resolve(DataFormat.FILE), "format=3\nfeatures=usage-counters\nwritten-by=tarn 3.0\n");
    assertEquals("data directory format 3 is newer than this build supports (1): upgrade Tarn (" + dir
        + " was written by tarn 3.0)", refused(DataFormat.thisBuild()).getMessage());

    Files.writeString(dir.resolve(DataFormat.FILE), "format=1\nfeatures=usage-counters, zstd\nwritten-by=tarn 1.5\n");
    assertEquals("data directory " + dir + " uses zstd, which this build does not know (written by tarn 1.5):"
        + " upgrade Tarn", refused(DataFormat.thisBuild()).getMessage());

    Files.writeString(dir.resolve(DataFormat.FILE), "<html>\n");
    assertTrue(refused(DataFormat.thisBuild()).getMessage().contains("is not a Tarn format file"));
    Files.writeString(dir.resolve(DataFormat.FILE), "format=0\n");
    refused(DataFormat.thisBuild());
  }

  @Test
  void aNewerBuildUpgradesStepByStepAndWritesEachNumberOnlyAfterItsStep() throws Exception {
    DataFormat.thisBuild().upgrade(dir, DataFormat.thisBuild().check(dir), "tarn 1.0");
    List<Integer> ran = new ArrayList<>();
    boolean[] failTwo = {true};
    DataFormat.Upgrade oneToTwo = step(1, ran, null);
    DataFormat.Upgrade twoToThree = step(2, ran, failTwo);
    DataFormat v3 = new DataFormat(3, DataFormat.FEATURES, List.of(twoToThree, oneToTwo));

    assertThrows(IllegalStateException.class, () -> v3.upgrade(dir, v3.check(dir), "tarn 3.0"));
    assertEquals(List.of(1, 2), ran);
    assertEquals(2, v3.check(dir).format(), "step 1 done and recorded, step 2 not");

    failTwo[0] = false;
    ran.clear();
    v3.upgrade(dir, v3.check(dir), "tarn 3.0");
    assertEquals(List.of(2), ran, "resumes where it stopped");
    assertEquals(new DataFormat.Found(3, DataFormat.FEATURES, true), v3.check(dir));
    assertEquals("data directory format 3 is newer than this build supports (1): upgrade Tarn (" + dir
        + " was written by tarn 3.0)", refused(DataFormat.thisBuild()).getMessage());
  }

  private static DataFormat.Upgrade step(int from, List<Integer> ran, boolean[] fail) {
    return new DataFormat.Upgrade() {
      @Override
      public int from() {
        return from;
      }

      @Override
      public void apply(Path dataDir) {
        ran.add(from);
        if (fail != null && fail[0]) {
          throw new IllegalStateException("step " + from + " failed");
        }
      }
    };
  }
}
