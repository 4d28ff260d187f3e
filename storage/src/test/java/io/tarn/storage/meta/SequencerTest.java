package io.tarn.storage.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event sequencer on a metadata store of its own. */
class SequencerTest {
  @TempDir Path dir;

  @Test
  void aSequencerStaysOpenUntilItsBatchCommitsOrFails() {
    try (MetaStore meta = MetaStore.open(dir, false)) {
      Sequencer seq = new Sequencer(meta);
      long a = seq.next();
      long b = seq.next();
      assertEquals(a, seq.settledBelow(), "a is open");
      seq.settle(b);
      assertEquals(a, seq.settledBelow(), "b committed first, but a may still commit below it");
      seq.settle(a);
      assertEquals(b + 1, seq.settledBelow());
    }
  }

  @Test
  void numbersRestartAtThePersistedReservation() {
    long reserved;
    long last;
    try (MetaStore meta = MetaStore.open(dir, false)) {
      Sequencer seq = new Sequencer(meta);
      last = seq.next();
      seq.settle(last);
      reserved = seq.reserved();
      assertTrue(reserved >= Sequencer.BLOCK && reserved > last);
    }
    try (MetaStore meta = MetaStore.open(dir, false)) {
      Sequencer seq = new Sequencer(meta);
      assertEquals(reserved, seq.next(), "above every number handed out before");
    }
  }
}
