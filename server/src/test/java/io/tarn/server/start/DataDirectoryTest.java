package io.tarn.server.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tarn.storage.DataMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path cwd;

  private final Map<String, String> env = Map.of("HOME", "/home/ann");

  @Test
  void aGivenPathWinsAndIsMadeAbsolute() {
    DataDirectory.Resolved r = DataDirectory.resolve(Path.of("store/../d"), cwd, env);
    assertEquals(new DataDirectory.Resolved(cwd.resolve("d"), true, List.of()), r);
  }

  @Test
  void withoutOneItIsTheXdgDataHomeOrHomesLocalShare() {
    assertEquals(Path.of("/home/ann/.local/share/tarn"), DataDirectory.resolve(null, cwd, env).path());
    assertEquals(Path.of("/home/ann/.local/share/tarn"), DataDirectory.resolve(Path.of(""), cwd, env).path(),
        "an empty TARN_DATA is none");
    assertEquals(Path.of("/xdg/tarn"),
        DataDirectory.resolve(null, cwd, Map.of("HOME", "/home/ann", "XDG_DATA_HOME", "/xdg")).path());
    assertEquals(Path.of("/home/ann/.local/share/tarn"),
        DataDirectory.resolve(null, cwd, Map.of("HOME", "/home/ann", "XDG_DATA_HOME", "rel")).path(),
        "the XDG specification ignores a relative path");
    DataDirectory.Resolved r = DataDirectory.resolve(null, cwd, env);
    assertFalse(r.given());
    assertEquals(List.of("data directory: /home/ann/.local/share/tarn (the default; choose another with --data or"
        + " TARN_DATA)"), r.notes());
  }

  @Test
  void aTarnDataDirectoryInTheCurrentDirectoryIsUsedAndAnyOtherIsNot() throws Exception {
    Files.createDirectories(cwd.resolve("data"));
    DataDirectory.Resolved other = DataDirectory.resolve(null, cwd, env);
    assertEquals(Path.of("/home/ann/.local/share/tarn"), other.path());
    assertEquals("./data is not a Tarn data directory: not used", other.notes().get(0));

    Files.createDirectories(cwd.resolve("data/meta"));
    Files.writeString(cwd.resolve("data/meta/CURRENT"), "MANIFEST-000001\n");
    DataDirectory.Resolved legacy = DataDirectory.resolve(null, cwd, env);
    assertEquals(cwd.resolve("data"), legacy.path());
    assertEquals(List.of("using ./data (found in the current directory): " + cwd.resolve("data")), legacy.notes());
  }

  @Test
  void aDirectoryWithoutTarnDataIsNamedAsANewStore() throws Exception {
    Path dir = cwd.resolve("elsewhere/data");
    assertEquals("new, empty store in " + dir + " (no Tarn data was there)", DataDirectory.newStoreNote(dir).orElseThrow());
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tarn-format"), "format=1\n");
    assertTrue(DataDirectory.newStoreNote(dir).isEmpty(), "a store is not new");
  }

  @Test
  void preparingCreatesADefaultsParentsButNotAGivenPathsAndRefusesAFile() throws Exception {
    Path deep = cwd.resolve("a/b/tarn");
    DataDirectory.prepare(new DataDirectory.Resolved(deep, false, List.of()), DataMode.PRIVATE);
    assertTrue(Files.isDirectory(deep));

    Path orphan = cwd.resolve("x/y/data");
    StartupFailure f = assertThrows(StartupFailure.class,
        () -> DataDirectory.prepare(new DataDirectory.Resolved(orphan, true, List.of()), DataMode.PRIVATE));
    assertEquals(Exit.DATA_DIRECTORY, f.exit());
    assertFalse(Files.exists(cwd.resolve("x")));

    Path file = Files.writeString(cwd.resolve("f"), "");
    assertEquals("data directory " + file + " is not a directory", assertThrows(StartupFailure.class,
        () -> DataDirectory.prepare(new DataDirectory.Resolved(file, true, List.of()), DataMode.PRIVATE)).getMessage());
    StartupFailure under = assertThrows(StartupFailure.class,
        () -> DataDirectory.prepare(new DataDirectory.Resolved(file.resolve("d"), false, List.of()), DataMode.PRIVATE));
    assertEquals("cannot create data directory " + file.resolve("d") + ": " + file + " is not a directory",
        under.getMessage());
  }
}
