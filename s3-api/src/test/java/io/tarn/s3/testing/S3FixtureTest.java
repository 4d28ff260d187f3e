package io.tarn.s3.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the tests that share one store per test class: {@link #fixture} is opened on a fresh
 * temp directory ({@link #dir}) before the class's first test and closed after its last. Test classes
 * run one after another, so the static fields belong to the class running.
 */
public abstract class S3FixtureTest {
  @TempDir protected static Path dir;
  protected static S3Fixture fixture;

  @BeforeAll
  static void openFixture() {
    fixture = S3Fixture.open(dir);
  }

  @AfterAll
  static void closeFixture() {
    fixture.close();
  }
}
