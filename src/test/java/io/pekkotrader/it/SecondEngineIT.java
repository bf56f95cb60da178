package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second engine on the same data directory refuses to start; the first keeps running untouched. */
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
        assertEquals(3, exit, "exit code for a data directory in use");
        assertTrue(second.logText().contains("another engine is already running on data directory"), second.logText());
      }

      assertTrue(first.isAlive());
      first.awaitStatus(
          Duration.ofSeconds(30), "market data still flowing", s -> s.get("venues").get(0).get("messages").asLong() > before);
      assertEquals(0, first.terminate());
    }
  }
}
