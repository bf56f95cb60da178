package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Symbols added and removed at run time on a running engine (embedded simulator over loopback
 * WebSockets, H2 journal): an added symbol gets trades through the venue's new subscription and
 * builds candles; a flat symbol is removed and its trades stop; a symbol in a position is refused;
 * the catalogue survives kill -9; a symbol added again after its removal trades again.
 */
class SymbolCatalogueIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void symbolsComeAndGoAtRunTimeAndTheChangesSurviveACrash() throws Exception {
    Path tmp = Files.createTempDirectory("symbol-catalogue-it");
    Path data = tmp.resolve("data");
    Path config = tmp.resolve("catalogue.conf");
    Files.writeString(config, "pekko-trader.http.rate-limit { per-second = 100000, burst = 100000 }\n");
    Map<String, String> extra = Map.of("--config", config.toString());
    String removed;
    List<String> expected;
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "catalogue-1", extra)) {
      engine.awaitStatus(WAIT, "recovered symbols", EngineProcess::settled);

      JsonNode added = engine.call("POST", "/api/v1/symbols", "{\"venue\":\"binance\",\"symbol\":\"BNBUSDT\",\"strategy\":\"ma-crossover\"}", 201);
      assertEquals("binance:BNBUSDT", added.path("symbol").path("id").asText());
      awaitSymbols(engine, "candles for the added symbol", s -> candles(s, "binance:BNBUSDT") >= 3);
      assertTrue(streamUrl(engine).contains("bnbusdt@trade"), streamUrl(engine));
      engine.call("POST", "/api/v1/symbols", "{\"venue\":\"binance\",\"symbol\":\"BNBUSDT\"}", 409);

      removed = removeSomeFlatSymbol(engine, List.of("binance:SOLUSDT", "binance:ETHUSDT", "binance:BTCUSDT"));
      String venueForm = removed.substring(removed.indexOf(':') + 1).toLowerCase(java.util.Locale.ROOT) + "@trade";
      assertFalse(streamUrl(engine).contains(venueForm), "unsubscribed: " + streamUrl(engine));
      assertEquals(404, engine.get("/api/v1/symbols/" + removed, engine.apiKey()).statusCode());
      JsonNode status = engine.status();
      expected = ids(status);
      assertFalse(expected.contains(removed));
      assertTrue(expected.contains("binance:BNBUSDT"));
      assertEquals(404, engine.send("DELETE", "/api/v1/symbols/" + removed, engine.apiKey()).statusCode());

      engine.kill9();
    }

    try (EngineProcess engine = EngineProcess.start(data, "simulator", "catalogue-2", extra)) {
      // ready means the registry's catalogue has reached this node: before that, the status lists
      // the configured symbols only (a loaded machine answered once in between)
      engine.awaitReady(WAIT);
      JsonNode status = engine.awaitStatus(WAIT, "recovered symbols", EngineProcess::settled);
      assertEquals(expected, ids(status), "the catalogue as it was before the crash");
      engine.awaitStatus(WAIT, "the venue subscribed to the catalogue", s -> streamUrl(engine).contains("bnbusdt@trade"));
      assertEquals(200, engine.management("/ready").statusCode());

      engine.call("POST", "/api/v1/symbols", "{\"venue\":\"binance\",\"symbol\":\"" + removed.substring(removed.indexOf(':') + 1) + "\"}", 201);
      JsonNode back =
          awaitSymbols(
              engine, removed + " trading again", s -> phase(s, removed) != null && !phase(s, removed).equals("PAUSED") && candles(s, removed) > 0);
      assertTrue(ids(back).contains(removed));
      assertEquals(0, engine.terminate());
    } finally {
      try (var files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Removes the first of {@code candidates} that is flat when asked (others answer 409 symbol_not_flat), retrying for a while. */
  private static String removeSomeFlatSymbol(EngineProcess engine, List<String> candidates) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> refusals = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (String id : candidates) {
        HttpResponse<String> response = engine.send("DELETE", "/api/v1/symbols/" + id, engine.apiKey());
        if (response.statusCode() == 200) {
          return id;
        }
        assertEquals(409, response.statusCode(), response.body());
        assertTrue(response.body().contains("symbol_not_flat"), response.body());
        refusals.add(response.body());
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no symbol was flat for " + WAIT + ": " + refusals);
  }

  /** Polls {@code GET /symbols} until {@code condition} holds. */
  private static JsonNode awaitSymbols(EngineProcess engine, String what, java.util.function.Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = engine.call("GET", "/api/v1/symbols", null, 200);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("waited " + WAIT + " for " + what + "; last: " + last);
  }

  private static String streamUrl(EngineProcess engine) {
    try {
      return engine.call("GET", "/api/v1/streams", null, 200).path("streams").get(0).path("url").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(JsonNode status) {
    List<String> ids = new ArrayList<>();
    status.path("symbols").forEach(s -> ids.add(s.path("id").asText()));
    return ids;
  }

  private static JsonNode symbol(JsonNode status, String id) {
    for (JsonNode s : status.path("symbols")) {
      if (s.path("id").asText().equals(id)) {
        return s;
      }
    }
    return null;
  }

  private static String phase(JsonNode status, String id) {
    JsonNode s = symbol(status, id);
    return s == null ? null : s.path("phase").asText();
  }

  private static int candles(JsonNode status, String id) {
    JsonNode s = symbol(status, id);
    return s == null ? 0 : s.path("candles").asInt();
  }
}
