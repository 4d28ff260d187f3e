package io.tarn.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Other modules use the storage module through {@code io.tarn.storage} only: its sub-packages are
 * internal, though Java makes some of their types public for the other storage packages (there is
 * no package-private across packages). The maven-enforcer rules see dependencies, not imports, so
 * this test reads the other modules' sources and fails naming every file that uses an internal
 * package. {@code access} (ACLs, object ownership, and the policy engine under it) is the exception:
 * it is part of the contract, the types the S3 front end and the console API decide access with.
 */
class StorageBoundaryTest {
  private static final List<String> MODULES = List.of("notifications", "s3-api", "console-api", "server", "it-tests");

  @Test
  void otherModulesUseOnlyTheStorageContract() throws IOException {
    Path storage = Path.of("").toAbsolutePath();
    assertEquals("storage", storage.getFileName().toString(), "run from the storage module directory");
    List<String> internal = internalPackages(storage.resolve("src/main/java/io/tarn/storage"));
    assertTrue(internal.containsAll(List.of("objects", "blobs", "identity", "meta")), internal.toString());
    // A contract sub-package is matched first, so it is never taken for its internal parent.
    Pattern use = Pattern.compile("\\bio\\.tarn\\.storage\\.(" + String.join("|", CONTRACT).replace(".", "\\.")
        + "|" + String.join("|", internal) + ")\\b");

    List<String> violations = new ArrayList<>();
    int scanned = 0;
    for (String module : MODULES) {
      Path dir = storage.resolveSibling(module);
      assertTrue(Files.isDirectory(dir), "no module " + dir + ": update MODULES");
      for (Path java : javaFiles(dir.resolve("src"))) {
        scanned++;
        List<String> lines = Files.readAllLines(java);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = use.matcher(lines.get(i));
          while (m.find()) {
            if (CONTRACT.contains(m.group(1))) {
              continue;
            }
            violations.add(storage.getParent().relativize(java) + ":" + (i + 1) + " uses io.tarn.storage." + m.group(1));
            break;
          }
        }
      }
    }
    assertTrue(scanned > 100, "found only " + scanned + " source files: the scan is looking in the wrong place");
    assertTrue(violations.isEmpty(), "internal storage packages used outside the storage module (use the "
        + "io.tarn.storage contract, or make what is needed part of it):\n  " + String.join("\n  ", violations));
  }

  /** Sub-packages that are part of the contract. */
  private static final List<String> CONTRACT = List.of("access");

  /** The sub-packages of the storage module: every one but {@link #CONTRACT} is internal. */
  private static List<String> internalPackages(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(name -> !CONTRACT.contains(name)).sorted().toList();
    }
  }

  private static List<Path> javaFiles(Path src) throws IOException {
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(src)) {
      return s.filter(p -> p.toString().endsWith(".java")).toList();
    }
  }
}
