package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second engine on the same data directory refuses to start, and the first keeps running
 * untouched; on a data directory of its own, with its own port flags, it runs beside the first.
 */
class SecondEngineIT {
  @TempDir Path tmp;

  @Test
  void refusesASecondEngineOnTheSameDataDirectoryAndLeavesTheFirstRunning() throws Exception {
    Path data = tmp.resolve("data");
    try (EngineProcess first = EngineProcess.start(data, "simulator", "first")) {
      long before =
          first.awaitStatus(Duration.ofSeconds(60), "first fills", s -> s.get("portfolio").get("fills").asLong() > 0)
              .get("venues").get(0).get("messages").asLong();

      try (EngineProcess second = EngineProcess.start(data, "simulator", "second")) {
        int exit = second.awaitExit(Duration.ofSeconds(60));
        assertEquals(3, exit, () -> "exit code for a data directory in use; its log:\n" + second.logTail());
        assertTrue(second.logText().contains("another engine is already running on data directory"), second.logText());
      }

      assertTrue(first.isAlive());
      first.awaitStatus(
          Duration.ofSeconds(30), "market data still flowing", s -> s.get("venues").get(0).get("messages").asLong() > before);

      try (EngineProcess beside = EngineProcess.start(tmp.resolve("data-beside"), "none", "beside")) {
        beside.awaitStatus(Duration.ofSeconds(60), "the engine beside it recovered", EngineProcess::settled);
        assertEquals(200, beside.management("/ready").statusCode(), beside::logTail);
        assertEquals(200, beside.metrics().statusCode(), beside::logTail);
        assertTrue(first.isAlive());
        assertEquals(0, beside.terminate());
      }
      assertEquals(0, first.terminate());
    }
  }
}
