package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API of a running engine: its shapes, its key, its errors; health without a key. */
class ControlApiIT {
  @TempDir Path tmp;

  @Test
  void servesStatusAndSymbolsBehindTheKeyAndAnswersEveryErrorAsJson() throws Exception {
    Path data = tmp.resolve("data");
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "engine")) {
      JsonNode status = engine.awaitStatus(Duration.ofSeconds(60), "recovered symbols", EngineProcess::settled);
      String key = engine.apiKey();

      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("api-key"))));
      assertTrue(!engine.logText().contains(key), "the key is never logged");
      assertEquals("paper", status.get("mode").asText());
      assertEquals(3, status.get("symbols").size());
      assertTrue(status.get("portfolio").get("cash").isTextual(), "decimals travel as strings");
      assertEquals("binance", status.get("venues").get(0).get("venue").asText());
      assertTrue(status.get("killSwitch").has("engaged"));

      HttpResponse<String> symbol = engine.get("/api/v1/symbols/binance:BTCUSDT", key);
      assertEquals(200, symbol.statusCode());
      assertEquals("binance:BTCUSDT", EngineProcess.JSON.readTree(symbol.body()).get("id").asText());

      engine.awaitStatus(
          Duration.ofSeconds(30),
          "trades over the embedded simulator's WebSocket",
          s -> s.get("venues").get(0).get("connected").asBoolean() && s.get("venues").get(0).get("trades").asLong() > 0);
      HttpResponse<String> streams = engine.get("/api/v1/streams", key);
      assertEquals(200, streams.statusCode(), streams.body());
      JsonNode binance = EngineProcess.JSON.readTree(streams.body()).get("streams").get(0);
      assertEquals("binance", binance.get("venue").asText());
      assertTrue(binance.get("url").asText().matches("ws://127\\.0\\.0\\.1:\\d+/stream\\?streams=btcusdt@trade/ethusdt@trade/solusdt@trade"), streams.body());
      assertTrue(binance.get("trades").asLong() > 0, streams.body());
      assertEquals(0, binance.get("malformed").asLong(), streams.body());
      assertEquals(300, binance.get("connectionBudget").asInt(), streams.body());
      assertTrue(binance.get("attemptsInWindow").asInt() >= 1, streams.body());
      // the trade router reports each symbol's deliveries at most once a second
      JsonNode deliveries = binance.get("deliveries");
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (deliveries.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        deliveries = engine.call("GET", "/api/v1/streams", null, 200).get("streams").get(0).get("deliveries");
      }
      assertEquals(3, deliveries.size(), "one delivery entry per symbol: " + deliveries);
      for (JsonNode delivery : deliveries) {
        assertTrue(delivery.get("symbol").asText().startsWith("binance:"), deliveries.toString());
        assertEquals("closed", delivery.get("breaker").asText(), "no healthy symbol is shed: " + deliveries);
        assertTrue(delivery.get("delivered").asLong() > 0, deliveries.toString());
        assertEquals(0, delivery.get("shed").asLong(), deliveries.toString());
      }

      assertError(engine.get("/api/v1/streams", null), 401, "unauthorized");
      assertError(engine.get("/api/v1/status", null), 401, "unauthorized");
      assertError(engine.get("/api/v1/status", "wrong-key-of-some-length"), 401, "unauthorized");
      assertError(engine.get("/api/v1/symbols/binance:BTCUSDT", null), 401, "unauthorized");
      assertError(engine.get("/api/v1/symbols/binance:NOPE", key), 404, "unknown_symbol");
      assertError(engine.get("/api/v1/symbols/not-a-symbol", key), 400, "invalid_symbol");
      assertError(engine.get("/api/v1/nothing-here", key), 404, "not_found");
      assertError(engine.send("POST", "/api/v1/status", key), 405, "method_not_allowed");

      assertEquals(200, engine.management("/alive").statusCode());
      assertEquals(200, engine.management("/ready").statusCode());
      assertEquals(0, engine.terminate());
    }
  }

  private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.headers().toString());
    JsonNode error = EngineProcess.JSON.readTree(response.body()).get("error");
    assertEquals(code, error.get("code").asText(), response.body());
    assertTrue(error.get("message").asText().length() > 0);
  }
}
