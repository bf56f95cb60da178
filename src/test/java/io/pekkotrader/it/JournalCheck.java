package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;

/** Runs {@code check-journal} on a stopped engine's data directory and compares a status with it. */
final class JournalCheck {
  private JournalCheck() {}

  static JsonNode audit(Path dataDir, String logName) throws Exception {
    EngineProcess.Result result =
        EngineProcess.runToCompletion(dataDir.getParent().resolve(logName + ".log"), "check-journal", "--data-dir", dataDir.toString());
    String json =
        result.output().lines().filter(line -> line.startsWith("{\"symbols\"")).findFirst().orElse(null);
    if (json == null) {
      fail("check-journal printed no report (exit " + result.exitCode() + "):\n" + result.output());
    }
    assertEquals(0, result.exitCode(), "check-journal found problems:\n" + result.output());
    return EngineProcess.JSON.readTree(json);
  }

  /** Positions, fills and intents of every symbol, and the portfolio's cash and fills, agree with the audit. */
  static void assertStatusMatches(JsonNode audit, JsonNode status) {
    for (JsonNode symbol : status.get("symbols")) {
      String id = symbol.get("id").asText();
      JsonNode figures = audit.get("symbols").get(id);
      if (figures == null) {
        assertEquals(0, symbol.get("fills").asLong(), id + " has fills but no journal");
        continue;
      }
      assertDecimal(figures.get("positionQty").asText(), symbol.get("positionQty").asText(), id + " position");
      assertEquals(figures.get("fills").asLong(), symbol.get("fills").asLong(), id + " fills");
      assertEquals(figures.get("intents").asLong(), symbol.get("intents").asLong(), id + " intents");
      String phase = symbol.get("phase").asText();
      boolean holding = new BigDecimal(symbol.get("positionQty").asText()).signum() != 0;
      assertEquals(holding, phase.equals("IN_POSITION") || phase.equals("HALTED"), id + " phase " + phase + " fits its quantity");
    }
    assertDecimal(audit.get("portfolioCash").asText(), status.get("portfolio").get("cash").asText(), "portfolio cash");
    assertEquals(audit.get("portfolioFills").asLong(), status.get("portfolio").get("fills").asLong(), "portfolio fills");
  }

  static void assertDecimal(String expected, String actual, String what) {
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), what + ": expected " + expected + ", got " + actual);
  }
}
