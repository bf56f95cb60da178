package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine trades, is killed with SIGKILL, and restarts on the same data directory: the
 * recovered state is what the journal says (checked against an independent audit of the raw
 * events), nothing observed before the crash is lost, no client order id is used twice, and a
 * second recovery gives exactly the same state, and the equity history from before the crash is
 * still there.
 */
class CrashRecoveryIT {
  @TempDir Path tmp;

  @Test
  void recoversExactlyThePersistedStateAfterKill9AndNeverReusesAClientOrderId() throws Exception {
    Path data = tmp.resolve("data");
    JsonNode beforeCrash;
    java.util.List<Long> equityBeforeCrash;
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "trading")) {
      beforeCrash =
          engine.awaitStatus(
              Duration.ofSeconds(60),
              "fills on at least 3 symbols",
              status -> count(status, symbol -> symbol.get("fills").asLong() > 0) >= 3);
      equityBeforeCrash = equityTimes(engine);
      engine.kill9();
      assertFalse(engine.logText().contains("Duplicate order"), "the venue never saw a client order id twice");
    }
    assertFalse(equityBeforeCrash.isEmpty(), "the first price was sampled");

    JsonNode afterCrash = JournalCheck.audit(data, "audit-after-crash");
    assertEquals(0, afterCrash.get("problems").size());

    JsonNode recovered;
    try (EngineProcess engine = EngineProcess.start(data, "none", "recovered")) {
      recovered = engine.awaitStatus(Duration.ofSeconds(60), "recovery and reconciliation", EngineProcess::settled);
      assertTrue(equityTimes(engine).containsAll(equityBeforeCrash), "the equity history survives the crash");
      assertEquals(0, engine.terminate(), "SIGTERM exits 0");
    }
    assertNothingLost(beforeCrash, recovered);

    JsonNode afterRecovery = JournalCheck.audit(data, "audit-after-recovery");
    assertEquals(0, afterRecovery.get("unconfirmedFills").asLong(), "every recorded fill reached the portfolio");
    JournalCheck.assertStatusMatches(afterRecovery, recovered);

    try (EngineProcess engine = EngineProcess.start(data, "none", "recovered-again")) {
      JsonNode again = engine.awaitStatus(Duration.ofSeconds(60), "second recovery", EngineProcess::settled);
      assertEquals(0, engine.terminate());
      assertEquals(figures(recovered), figures(again), "recovery is deterministic");
    }
  }

  /** The times of the equity history's points. */
  private static java.util.List<Long> equityTimes(EngineProcess engine) throws Exception {
    var response = engine.get("/api/v1/equity?limit=10000", engine.apiKey());
    assertEquals(200, response.statusCode(), response.body());
    java.util.List<Long> times = new java.util.ArrayList<>();
    EngineProcess.JSON.readTree(response.body()).get("points").forEach(p -> times.add(p.get("atMs").asLong()));
    return times;
  }

  private static void assertNothingLost(JsonNode before, JsonNode after) {
    Map<String, JsonNode> recovered = new HashMap<>();
    after.get("symbols").forEach(symbol -> recovered.put(symbol.get("id").asText(), symbol));
    for (JsonNode symbol : before.get("symbols")) {
      JsonNode now = recovered.get(symbol.get("id").asText());
      assertTrue(now.get("fills").asLong() >= symbol.get("fills").asLong(), "fills lost in " + symbol.get("id"));
      assertTrue(now.get("intents").asLong() >= symbol.get("intents").asLong(), "intents lost in " + symbol.get("id"));
    }
    assertTrue(after.get("portfolio").get("fills").asLong() >= before.get("portfolio").get("fills").asLong());
  }

  /** The parts of a status that recovery must reproduce exactly. */
  private static String figures(JsonNode status) {
    StringBuilder out = new StringBuilder();
    for (JsonNode s : status.get("symbols")) {
      out.append(s.get("id")).append(s.get("phase")).append(s.get("positionQty")).append(s.get("averagePrice"))
          .append(s.get("intents")).append(s.get("fills")).append(s.get("corrections")).append(s.get("workingOrder")).append('\n');
    }
    JsonNode p = status.get("portfolio");
    out.append(p.get("cash")).append(p.get("reserved")).append(p.get("realizedPnl")).append(p.get("feesPaid"))
        .append(p.get("fills")).append(p.get("positions"));
    return out.toString();
  }

  static long count(JsonNode status, java.util.function.Predicate<JsonNode> test) {
    long n = 0;
    for (JsonNode symbol : status.get("symbols")) {
      if (test.test(symbol)) {
        n++;
      }
    }
    return n;
  }
}
