package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while trading: exit 0, no error in the log, a consistent journal that recovers without corrections. */
class GracefulShutdownIT {
  @TempDir Path tmp;

  @Test
  void stopsOnSigtermWithExitZeroAndLeavesAConsistentJournal() throws Exception {
    Path data = tmp.resolve("data");
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "trading")) {
      engine.awaitStatus(Duration.ofSeconds(60), "some fills", status -> status.get("portfolio").get("fills").asLong() >= 4);

      assertEquals(0, engine.terminate(), "SIGTERM exits 0");

      String log = engine.logText();
      List<String> errors = log.lines().filter(line -> line.contains(" ERROR ") || line.contains("Exception")).toList();
      assertEquals(List.of(), errors, "no error in the log of a graceful stop");
      assertTrue(log.contains("SIGTERM received: shutting down"));
      assertTrue(log.contains("Engine stopped"));
    }

    JsonNode audit = JournalCheck.audit(data, "audit");
    try (EngineProcess engine = EngineProcess.start(data, "none", "restarted")) {
      JsonNode recovered = engine.awaitStatus(Duration.ofSeconds(60), "recovery", EngineProcess::settled);
      for (JsonNode symbol : recovered.get("symbols")) {
        assertEquals(0, symbol.get("corrections").asLong(), symbol.get("id") + " needed no repair");
      }
      JournalCheck.assertStatusMatches(audit, recovered);
      assertEquals(0, engine.terminate());
    }
  }
}
