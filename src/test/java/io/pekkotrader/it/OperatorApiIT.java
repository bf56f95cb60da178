package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator's endpoints on a running engine (embedded simulator, H2): each answers with
 * success, refuses a missing or wrong key with 401 and bad input with a 4xx naming the problem;
 * the live feed streams; the emergency stop flattens and is audited; and a few thousand hostile
 * requests get no 5xx and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorApiIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String BTC = "/api/v1/symbols/binance:BTCUSDT";

  private Path tmp;
  private EngineProcess engine;
  private String key;

  @BeforeAll
  void start() throws Exception {
    tmp = Files.createTempDirectory("operator-api-it");
    Path config = tmp.resolve("operator.conf");
    Files.writeString(config, "pekko-trader.http.rate-limit { per-second = 100000, burst = 100000 }\n");
    engine = EngineProcess.start(tmp.resolve("data"), "simulator", "operator", Map.of("--config", config.toString()));
    engine.awaitStatus(Duration.ofSeconds(90), "recovered symbols", EngineProcess::settled);
    key = engine.apiKey();
  }

  @AfterAll
  void stop() throws Exception {
    if (engine != null) {
      assertEquals(0, engine.terminate());
      engine.close();
    }
    try (var files = Files.walk(tmp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void readEndpointsAnswerBehindTheKey() throws Exception {
    JsonNode symbols = json(200, "GET", "/api/v1/symbols", null);
    assertEquals(3, symbols.get("symbols").size());
    assertTrue(symbols.get("symbols").get(0).has("phase"));

    JsonNode portfolio = json(200, "GET", "/api/v1/portfolio", null);
    assertTrue(portfolio.get("equity").isTextual(), portfolio.toString());
    assertTrue(portfolio.get("equityCurve").isArray(), portfolio.toString());

    JsonNode orders = json(200, "GET", "/api/v1/orders?limit=5", null);
    assertTrue(orders.get("working").isArray() && orders.get("recent").isArray(), orders.toString());

    JsonNode fills = json(200, "GET", "/api/v1/fills?limit=2", null);
    assertTrue(fills.get("fills").isArray() && fills.has("total"), fills.toString());

    JsonNode actors = json(200, "GET", "/api/v1/actors", null);
    List<String> kinds = new ArrayList<>();
    actors.get("actors").forEach(a -> kinds.add(a.get("kind").asText()));
    assertTrue(kinds.contains("Portfolio (singleton)") && kinds.contains("RiskManager (singleton)"), kinds.toString());
    assertTrue(kinds.contains("MarketData") && kinds.contains("OrderGateway") && kinds.contains("SymbolTrader (sharded)"), kinds.toString());
    actors.get("actors").forEach(a -> assertEquals("running", a.get("state").asText(), a.toString()));

    for (String path : List.of("/api/v1/symbols", "/api/v1/portfolio", "/api/v1/orders", "/api/v1/fills", "/api/v1/actors", "/api/v1/events")) {
      assertError(send("GET", path, null, null), 401, "unauthorized");
      assertError(send("GET", path, "not-the-key-but-long-enough", null), 401, "unauthorized");
    }
    assertError(send("GET", "/api/v1/fills?limit=0", key, null), 400, "invalid_parameter");
    assertError(send("GET", "/api/v1/fills?before=-3", key, null), 400, "invalid_parameter");
    assertError(send("GET", "/api/v1/fills?page=2", key, null), 400, "unknown_parameter");
    assertError(send("GET", "/api/v1/orders?limit=abc", key, null), 400, "invalid_parameter");
  }

  @Test
  @Order(1)
  void everyRouteOfTheOpenApiDocumentExists() throws Exception {
    JsonNode doc = EngineProcess.JSON.readTree(Path.of("docs/openapi.json").toFile());
    List<String> checked = new ArrayList<>();
    for (var path = doc.get("paths").fields(); path.hasNext(); ) {
      var entry = path.next();
      String concrete = "/api/v1" + entry.getKey().replace("{id}", "binance:BTCUSDT");
      for (var operations = entry.getValue().fieldNames(); operations.hasNext(); ) {
        String method = operations.next().toUpperCase();
        if (concrete.endsWith("/events")) {
          HttpResponse<InputStream> stream =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort + concrete)).header("Authorization", "Bearer " + key).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          assertEquals(200, stream.statusCode(), concrete);
          stream.body().close();
        } else {
          // a body with an unknown field: an existing route refuses it with 400, changing nothing
          HttpResponse<String> response = send(method, concrete, key, method.equals("GET") ? null : "{\"__probe\":1}");
          assertTrue(response.statusCode() != 404 && response.statusCode() != 405, method + " " + concrete + " exists: " + response.body());
          assertTrue(response.statusCode() < 500, method + " " + concrete + ": " + response.body());
          if (!method.equals("GET")) {
            assertEquals(400, response.statusCode(), method + " " + concrete + ": " + response.body());
          }
        }
        checked.add(method + " " + entry.getKey());
      }
    }
    assertTrue(
        checked.containsAll(List.of("GET /status", "POST /symbols/{id}/flatten", "GET /symbols/{id}/candles", "GET /events", "PUT /risk/limits", "GET /trades", "GET /equity", "GET /alerts")),
        checked.toString());
  }

  @Test
  @Order(2)
  void fillsArePagedNewestFirstWithoutGapsOrRepeats() throws Exception {
    engine.awaitStatus(Duration.ofSeconds(90), "at least three fills", s -> s.get("portfolio").get("fills").asLong() >= 3);
    JsonNode all = json(200, "GET", "/api/v1/fills?limit=500", null);
    long total = all.get("total").asLong();
    List<Long> paged = new ArrayList<>();
    String next = "";
    do {
      JsonNode page = json(200, "GET", "/api/v1/fills?limit=2" + next, null);
      page.get("fills").forEach(f -> paged.add(f.get("number").asLong()));
      next = page.get("nextBefore").isNull() ? null : "&before=" + page.get("nextBefore").asLong();
    } while (next != null && paged.size() < 1000);
    assertTrue(paged.size() >= total, paged + " of " + total);
    for (int i = 1; i < paged.size(); i++) {
      assertEquals(paged.get(i - 1) - 1, paged.get(i), "consecutive, newest first: " + paged);
    }
    assertEquals(1, paged.get(paged.size() - 1));
  }

  @Test
  @Order(3)
  void pauseAndResumeAreCheckedAndAnswered() throws Exception {
    assertError(send("POST", "/api/v1/symbols/binance:NOPE/pause", key, ""), 404, "unknown_symbol");
    assertError(send("POST", "/api/v1/symbols/not-a-symbol/pause", key, ""), 400, "invalid_symbol");
    assertError(send("POST", BTC + "/pause", key, "{\"force\":true}"), 400, "unknown_field");
    assertError(send("POST", BTC + "/pause", key, "{not json"), 400, "invalid_json");
    assertError(send("POST", BTC + "/pause", null, ""), 401, "unauthorized");
    assertError(send("GET", BTC + "/pause", key, null), 405, "method_not_allowed");

    // pause is allowed while flat; the simulator trades, so try until a flat moment comes
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    HttpResponse<String> paused;
    do {
      paused = send("POST", BTC + "/pause", key, "");
      if (paused.statusCode() == 409) {
        assertTrue(body(paused).get("error").get("message").asText().contains("cannot pause"), paused.body());
        Thread.sleep(200);
      }
    } while (paused.statusCode() == 409 && System.nanoTime() < deadline);
    assertEquals(200, paused.statusCode(), paused.body());
    assertEquals("PAUSED", body(paused).get("symbol").get("phase").asText());
    assertEquals("already paused", json(200, "POST", BTC + "/pause", "").get("outcome").asText());
    Thread.sleep(1500);
    assertEquals("PAUSED", json(200, "GET", BTC, null).get("phase").asText(), "no entry while paused");

    assertEquals("resumed", json(200, "POST", BTC + "/resume", "{}").get("outcome").asText());
    assertError(send("POST", BTC + "/resume", key, ""), 409, "conflict");
  }

  @Test
  @Order(4)
  void theFeedStreamsServerSentEvents() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort + "/api/v1/events"))
            .header("Authorization", "Bearer " + key)
            .GET()
            .build();
    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), response.headers().toString());
    // read until the kill switch's release is on the feed (the switch's changes are published at
    // once, unlike phases, which are sampled every second); a stream that ends before, or that
    // cannot be read, fails the reader and with it the test
    List<FeedEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                // an event's lines come in any order (Pekko writes data: first); a blank line ends it
                String type = null;
                String data = null;
                String line;
                while (!engagedAndReleased(events) && (line = reader.readLine()) != null) {
                  if (line.startsWith("event:")) {
                    type = line.substring("event:".length()).strip();
                  } else if (line.startsWith("data:")) {
                    data = line.substring("data:".length()).strip();
                  } else if (line.isEmpty() && data != null) {
                    events.add(new FeedEvent(type, EngineProcess.JSON.readTree(data)));
                    type = null;
                    data = null;
                  }
                }
                if (!engagedAndReleased(events)) {
                  throw new IllegalStateException("the stream ended before the kill switch's release was on it; events: " + events);
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (events.isEmpty() && !reading.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(events.isEmpty(), "no event in 30 s");
    assertEquals("subscribed", events.get(0).type(), "the stream opens with its subscription: " + events);
    json(200, "POST", "/api/v1/kill-switch", "{\"engaged\":true,\"reason\":\"feed test\"}");
    json(200, "POST", "/api/v1/kill-switch", "{\"engaged\":false,\"reason\":\"feed test over\"}");
    try {
      reading.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      fail("the kill switch's release not on the feed in 60 s: " + events);
    } catch (java.util.concurrent.ExecutionException e) {
      fail("reading the feed failed: " + e.getCause(), e.getCause());
    } finally {
      response.body().close();
    }
    for (FeedEvent event : events.subList(1, events.size())) {
      assertTrue(List.of("decision", "fill", "phase", "stream", "kill-switch", "symbols").contains(event.type()), event.toString());
      assertTyped(event);
    }
    // the audit trail is written behind the journal: wait for the switch's release in it, so that
    // the next test's "audit before" is after this test's entries
    long audited = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!auditHasRelease() && System.nanoTime() < audited) {
      Thread.sleep(100);
    }
    assertTrue(auditHasRelease(), "the kill switch's release in the audit trail");
  }

  private boolean auditHasRelease() throws Exception {
    for (JsonNode item : json(200, "GET", "/api/v1/audit?limit=20", null).get("items")) {
      if (item.path("type").asText().equals("kill_switch_released") && item.path("reason").asText().endsWith("feed test over")) {
        return true;
      }
    }
    return false;
  }

  /** One event of the feed: its SSE event name and its data. */
  private record FeedEvent(String type, JsonNode data) {}

  /** Whether the feed has the test's engagement of the kill switch and, after it, a release. */
  private static boolean engagedAndReleased(List<FeedEvent> events) {
    int engaged = -1;
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = events.get(i).data();
      if ("kill-switch".equals(events.get(i).type())) {
        if (data.path("engaged").asBoolean() && data.path("reason").asText().endsWith("feed test")) {
          engaged = i;
        } else if (engaged >= 0 && !data.path("engaged").asBoolean()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The data names its type and time, and each field has its JSON type: booleans, numbers, decimals as strings. */
  private static void assertTyped(FeedEvent event) {
    JsonNode data = event.data();
    assertEquals(event.type(), data.path("type").asText(), event.toString());
    assertTrue(data.path("atMs").isIntegralNumber(), event.toString());
    List<String> booleans = List.of("approved", "connected", "engaged");
    List<String> integers = List.of("lastMessageAgeMs", "reconnects", "malformed", "trades", "sinceMs");
    List<String> decimals = List.of("quantity", "price", "fee", "positionQty");
    data.fieldNames().forEachRemaining(field -> {
      JsonNode value = data.get(field);
      if (booleans.contains(field)) {
        assertTrue(value.isBoolean(), field + " is a boolean: " + event);
      } else if (integers.contains(field)) {
        assertTrue(value.isIntegralNumber(), field + " is a number: " + event);
      } else if (decimals.contains(field)) {
        assertTrue(value.isTextual() && value.textValue().matches("-?[0-9]+(\\.[0-9]+)?"), field + " is a decimal string: " + event);
      }
    });
  }

  @Test
  @Order(5)
  void aFewThousandHostileRequestsGetNoServerErrorAndChangeNothing() throws Exception {
    JsonNode riskBefore = json(200, "GET", "/api/v1/risk", null);
    List<String> symbolsBefore = symbolIds();
    JsonNode newestBefore = json(200, "GET", "/api/v1/audit?limit=1", null).path("items").path(0);
    long auditBefore = newestBefore.path("seqNr").asLong(0);
    Random random = new Random(20261121);
    String[] paths = {
      "/api/v1/status", "/api/v1/risk", "/api/v1/risk/limits", "/api/v1/kill-switch", "/api/v1/emergency-stop",
      "/api/v1/symbols", "/api/v1/symbols", BTC, BTC + "/pause", BTC + "/resume", "/api/v1/symbols/binance:NOPE/pause",
      "/api/v1/symbols/..%2F..%2Fetc%2Fpasswd", "/api/v1/../../etc/passwd", "/api/v1/symbols/%00", "/api/v1/audit?limit=-1",
      "/api/v1/audit?before=abc", "/api/v1/fills?limit=99999999999", "/api/v1/orders?limit=1e3", "/api/v1/portfolio",
      "/api/v1/actors", "/api/v1/streams", "/api/v1/" + "x".repeat(5000), "/api/v1/symbols/" + "A".repeat(300) + "/pause",
      BTC + "/flatten", "/api/v1/symbols/binance:NOPE/flatten", BTC + "/candles?limit=0", BTC + "/candles?limit=1001",
      BTC + "/candles?limit=abc&x=1", "/api/v1/symbols/binance:NOPE/candles",
      // the trading read side
      "/api/v1/trades", "/api/v1/trades?limit=0", "/api/v1/trades?limit=501", "/api/v1/trades?before=-1&symbol=%00",
      "/api/v1/trades?symbol=binance:NOPE", "/api/v1/trades?symbol=" + "B".repeat(300), "/api/v1/trades?before=99999999999999999999",
      "/api/v1/equity?limit=10001", "/api/v1/equity?limit=1", "/api/v1/alerts?limit=abc", "/api/v1/alerts?limit=200&x=1"
    };
    String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    String[] bodies = {
      "{not json", "[]", "null", "\"text\"", "42", "{\"reason\":1}", "{\"reason\":\"\"}", "{\"engaged\":\"yes\",\"reason\":\"x\"}",
      "{\"engaged\":true}", "{\"engaged\":true,\"reason\":\"x\",\"extra\":1}", "{\"maxDailyLoss\":\"-1\"}", "{\"maxDailyLoss\":[]}",
      "{\"unknown\":1}", "{\"reason\":\"" + "r".repeat(500) + "\"}", "{\"reason\":\"a\\u0000b\"}", "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
      "{\"reason\":\"x\",\"reason\":\"y\"}", "\u0000\u0001\u0002", "{\"x\":\"" + "y".repeat(40_000) + "\"}", "{\"engaged\":false,\"reason\":7}",
      "{\"venue\":\"binance\",\"symbol\":\"../../etc\"}", "{\"venue\":\"binance\",\"symbol\":\"<img src=x>\"}",
      "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"lotStep\":\"NaN\"}", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"}",
      "{\"venue\":[\"binance\"],\"symbol\":\"LTCUSDT\"}", "{\"venue\":\"binance\",\"symbol\":\"LTCUSDT\",\"strategy\":\"x\\u0000\"}"
    };
    int requests = 0;
    int serverErrors = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String path = paths[random.nextInt(paths.length)];
      String method = methods[random.nextInt(methods.length)];
      String bearer = switch (random.nextInt(4)) {
        case 0 -> null;
        case 1 -> "wrong-" + random.nextInt(1_000_000) + "-key-long-enough";
        default -> key;
      };
      String body = method.equals("GET") ? null : bodies[random.nextInt(bodies.length)];
      HttpResponse<String> response;
      try {
        response = send(method, path, bearer, body);
      } catch (IllegalArgumentException e) {
        continue; // a request the client library itself refuses to build
      } catch (java.io.IOException e) {
        if (path.length() > 2048) {
          // a request line over the server's URI limit is answered 414 and the connection closed;
          // with a body still being sent the client may see the close before the answer
          continue;
        }
        fail("no answer to " + method + " " + path.substring(0, Math.min(80, path.length())) + " "
            + (body == null ? null : body.substring(0, Math.min(80, body.length()))) + " after " + requests + " requests: " + e);
        return;
      }
      requests++;
      if (response.statusCode() >= 500) {
        serverErrors++;
        if (failures.size() < 5) {
          failures.add(method + " " + path + " " + body + " -> " + response.statusCode() + " " + response.body());
        }
      }
    }
    assertTrue(requests > 2500, "requests sent: " + requests);
    assertEquals(0, serverErrors, failures.toString());

    JsonNode riskAfter = json(200, "GET", "/api/v1/risk", null);
    assertEquals(riskBefore.get("limitsHash"), riskAfter.get("limitsHash"), "limits unchanged");
    assertEquals(riskBefore.get("killSwitch"), riskAfter.get("killSwitch"), "kill switch unchanged");
    for (JsonNode symbol : json(200, "GET", "/api/v1/symbols", null).get("symbols")) {
      assertFalse(symbol.get("phase").asText().equals("PAUSED"), "no symbol paused by the fuzz: " + symbol);
    }
    assertEquals(symbolsBefore, symbolIds(), "no symbol added or removed by the fuzz");
    JsonNode audit = json(200, "GET", "/api/v1/audit?limit=500", null);
    for (JsonNode item : audit.get("items")) {
      if (item.get("seqNr").asLong() > auditBefore) {
        assertEquals("decision", item.get("type").asText(), "only the engine's own decisions in the audit since the fuzz began: " + item);
      }
    }
  }

  @Test
  @Order(6)
  void theClientCommandsPrintReadablyAndExitNonZeroOnFailure() throws Exception {
    String url = "http://127.0.0.1:" + engine.httpPort;
    String keyFile = engine.dataDir.resolve("api-key").toString();

    EngineProcess.Result status = client("status", "--url", url, "--key-file", keyFile);
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(status.output().contains("mode paper") && status.output().contains("symbol binance:BTCUSDT"), status.output());
    assertFalse(status.output().contains(key), "the key is never printed");

    EngineProcess.Result unknown = client("pause", "binance:NOPE", "--url", url, "--key-file", keyFile);
    assertEquals(1, unknown.exitCode(), unknown.output());
    assertTrue(unknown.output().contains("Refused (404 unknown_symbol)"), unknown.output());

    EngineProcess.Result noKey =
        EngineProcess.runToCompletion(
            tmp.resolve("client-no-key.log"), Map.of("TRADER_DATA_DIR", tmp.resolve("no-engine-here").toString()), "status", "--url", url);
    assertEquals(2, noKey.exitCode(), noKey.output());
    assertTrue(noKey.output().contains("no key file"), noKey.output());
    EngineProcess.Result dataDirKey =
        EngineProcess.runToCompletion(
            tmp.resolve("client-data-dir-key.log"), Map.of("TRADER_DATA_DIR", engine.dataDir.toString()), "status", "--url", url);
    assertEquals(0, dataDirKey.exitCode(), "the key file of TRADER_DATA_DIR without --key-file: " + dataDirKey.output());

    EngineProcess.Result unreachable = client("status", "--url", "http://127.0.0.1:" + EngineProcess.freePort(), "--key-file", keyFile);
    assertEquals(6, unreachable.exitCode(), unreachable.output());

    EngineProcess.Result usage = client("kill-switch", "--url", url, "--key-file", keyFile, "--reason", "x");
    assertEquals(2, usage.exitCode(), "--engage or --release is required: " + usage.output());

    EngineProcess.Result engaged = client("kill-switch", "--engage", "--reason", "client drill", "--url", url, "--key-file", keyFile);
    assertEquals(0, engaged.exitCode(), engaged.output());
    assertTrue(engaged.output().contains("Kill switch ENGAGED: operator: client drill"), engaged.output());
    EngineProcess.Result released = client("kill-switch", "--release", "--reason", "drill over", "--url", url, "--key-file", keyFile);
    assertEquals(0, released.exitCode(), released.output());
    assertTrue(released.output().contains("Kill switch released"), released.output());
    engine.awaitStatus(Duration.ofSeconds(30), "symbols released", s -> !s.get("killSwitch").get("engaged").asBoolean());
  }

  private List<String> symbolIds() throws Exception {
    List<String> ids = new ArrayList<>();
    json(200, "GET", "/api/v1/symbols", null).get("symbols").forEach(symbol -> ids.add(symbol.get("id").asText()));
    return ids;
  }

  private EngineProcess.Result client(String... args) throws Exception {
    return EngineProcess.runToCompletion(tmp.resolve("client-" + System.nanoTime() + ".log"), args);
  }

  @Test
  @Order(6)
  void aSymbolsCandlesAreServedOldestFirstWithDecimalsAsStrings() throws Exception {
    assertError(send("GET", BTC + "/candles", null, null), 401, "unauthorized");
    assertError(send("GET", BTC + "/candles?limit=0", key, null), 400, "invalid_parameter");
    assertError(send("GET", BTC + "/candles?limit=1001", key, null), 400, "invalid_parameter");
    assertError(send("GET", BTC + "/candles?limit=2x", key, null), 400, "invalid_parameter");
    assertError(send("GET", BTC + "/candles?from=1", key, null), 400, "unknown_parameter");
    assertError(send("GET", "/api/v1/symbols/binance:DOGEBTC/candles", key, null), 404, "unknown_symbol");

    JsonNode candles = json(200, "GET", BTC + "/candles?limit=3", null);

    assertEquals("binance:BTCUSDT", candles.get("symbol").asText());
    assertTrue(candles.get("intervalMs").asLong() > 0, candles.toString());
    assertTrue(candles.get("candles").size() > 0 && candles.get("candles").size() <= 3, candles.toString());
    long previous = 0;
    for (JsonNode candle : candles.get("candles")) {
      assertTrue(candle.get("openTimeMs").asLong() > previous, "oldest first: " + candles);
      previous = candle.get("openTimeMs").asLong();
      for (String field : List.of("open", "high", "low", "close", "volume")) {
        assertTrue(candle.get(field).isTextual(), field + " as a string: " + candle);
        new java.math.BigDecimal(candle.get(field).asText());
      }
    }
  }

  @Test
  @Order(6)
  void flatteningOneSymbolExitsItsPositionPausesItIsAuditedAndSafeToRepeat() throws Exception {
    assertError(send("POST", BTC + "/flatten", null, "{}"), 401, "unauthorized");
    assertError(send("POST", BTC + "/flatten", key, "{\"reason\":42}"), 400, "invalid_field");
    assertError(send("POST", BTC + "/flatten", key, "{\"why\":\"x\"}"), 400, "unknown_field");
    assertError(send("POST", BTC + "/flatten", key, "[]"), 400, "invalid_json");
    assertError(send("POST", "/api/v1/symbols/binance:DOGEBTC/flatten", key, "{}"), 404, "unknown_symbol");
    for (JsonNode symbol : json(200, "GET", "/api/v1/symbols", null).get("symbols")) {
      assertFalse(symbol.get("phase").asText().equals("PAUSED"), "bad requests flattened nothing: " + symbol);
    }

    JsonNode holding = engine.awaitStatus(Duration.ofSeconds(90), "a symbol in a position", s -> inPosition(s) != null);
    String id = inPosition(holding);
    JsonNode flatten = json(200, "POST", "/api/v1/symbols/" + id + "/flatten", "{\"reason\":\"drill\"}");
    assertTrue(flatten.get("outcome").asText().contains("pauses when flat"), flatten.toString());
    String auditEventId = flatten.get("auditEventId").asText();

    engine.awaitStatus(Duration.ofSeconds(60), id + " flat and paused", s -> {
      for (JsonNode symbol : s.get("symbols")) {
        if (symbol.get("id").asText().equals(id)) {
          return symbol.get("phase").asText().equals("PAUSED") && new java.math.BigDecimal(symbol.get("positionQty").asText()).signum() == 0;
        }
      }
      return false;
    });
    EngineProcess.Result again =
        client("flatten", id, "--reason", "again", "--url", "http://127.0.0.1:" + engine.httpPort, "--key-file", engine.dataDir.resolve("api-key").toString());
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains(id + ": flat and paused already (phase PAUSED)"), "the client command, repeated: " + again.output());
    JsonNode audited = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (audited == null && System.nanoTime() < deadline) {
      for (JsonNode item : json(200, "GET", "/api/v1/audit?limit=500", null).get("items")) {
        if (item.get("type").asText().equals("symbol_flatten") && item.get("eventId").asText().equals(auditEventId)) {
          audited = item;
        }
      }
      Thread.sleep(250);
    }
    assertTrue(audited != null, "the flatten is in the audit trail");
    assertEquals(id, audited.get("symbol").asText());
    assertEquals("flatten: drill", audited.get("reason").asText());
    assertEquals("resumed", json(200, "POST", "/api/v1/symbols/" + id + "/resume", null).get("outcome").asText());
  }

  /** The id of a symbol holding a position with no order working, or null. */
  private static String inPosition(JsonNode status) {
    for (JsonNode symbol : status.get("symbols")) {
      if (symbol.get("phase").asText().equals("IN_POSITION") && symbol.get("workingOrder").isNull()) {
        return symbol.get("id").asText();
      }
    }
    return null;
  }

  @Test
  @Order(7)
  void theEmergencyStopFlattensEverythingEngagesTheKillSwitchAndIsAudited() throws Exception {
    assertError(send("POST", "/api/v1/emergency-stop", null, ""), 401, "unauthorized");
    assertError(send("POST", "/api/v1/emergency-stop", key, "{\"reason\":42}"), 400, "invalid_field");
    assertError(send("POST", "/api/v1/emergency-stop", key, "{\"why\":\"x\"}"), 400, "unknown_field");
    assertFalse(json(200, "GET", "/api/v1/risk", null).get("killSwitch").get("engaged").asBoolean(), "bad requests stopped nothing");

    engine.awaitStatus(Duration.ofSeconds(90), "a position to flatten", s -> s.get("portfolio").get("openPositions").asInt() > 0);
    JsonNode stop = json(202, "POST", "/api/v1/emergency-stop", "{\"reason\":\"drill\"}");
    assertTrue(stop.get("killSwitch").get("engaged").asBoolean(), stop.toString());
    assertEquals(3, stop.get("symbols").size(), stop.toString());

    engine.awaitStatus(
        Duration.ofSeconds(60),
        "every position flat and every symbol halted",
        s -> {
          if (s.get("portfolio").get("openPositions").asInt() != 0) {
            return false;
          }
          for (JsonNode symbol : s.get("symbols")) {
            if (!symbol.get("phase").asText().equals("HALTED")) {
              return false;
            }
          }
          return true;
        });
    JsonNode stops = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (stops == null && System.nanoTime() < deadline) {
      for (JsonNode item : json(200, "GET", "/api/v1/audit?limit=500", null).get("items")) {
        if (item.get("type").asText().equals("emergency_stop")) {
          stops = item;
        }
      }
      Thread.sleep(250);
    }
    assertTrue(stops != null, "the emergency stop is in the audit trail");
    assertEquals("emergency stop: drill", stops.get("reason").asText(), stops.toString());
    assertEquals(3, stops.get("symbols").size(), stops.toString());
    assertTrue(engine.logText().contains("Emergency stop"), "the stop is logged");
  }

  /** After the emergency stop every position is closed: each is a round trip with its exit reason. */
  @Test
  @Order(8)
  void closedPositionsAreRoundTripsWithWinRateEquityHistoryAndAlerts() throws Exception {
    JsonNode trades = json(200, "GET", "/api/v1/trades?limit=500", null);
    assertTrue(trades.get("trades").size() > 0, trades.toString());
    long previous = Long.MAX_VALUE;
    boolean flattened = false;
    for (JsonNode trade : trades.get("trades")) {
      assertTrue(trade.get("number").asLong() < previous, "newest first: " + trades);
      previous = trade.get("number").asLong();
      assertTrue(trade.get("exitTimeMs").asLong() >= trade.get("entryTimeMs").asLong(), trade.toString());
      assertEquals(trade.get("exitTimeMs").asLong() - trade.get("entryTimeMs").asLong(), trade.get("holdingMs").asLong());
      new java.math.BigDecimal(trade.get("pnl").asText());
      assertTrue(trade.get("exitReason").isTextual(), "the exit intent's reason: " + trade);
      flattened |= trade.get("exitReason").asText().contains("drill");
    }
    assertTrue(flattened, "a position closed by the emergency stop says so: " + trades);
    JsonNode first = json(200, "GET", "/api/v1/trades?limit=1", null);
    if (!first.get("nextBefore").isNull()) {
      JsonNode older = json(200, "GET", "/api/v1/trades?limit=1&before=" + first.get("nextBefore").asLong(), null);
      assertTrue(older.get("trades").get(0).get("number").asLong() < first.get("trades").get(0).get("number").asLong());
    }
    json(200, "GET", "/api/v1/trades?symbol=binance:BTCUSDT", null);

    JsonNode performance = json(200, "GET", "/api/v1/portfolio", null).get("performance");
    assertEquals(trades.get("trades").size(), performance.get("total").get("trades").asInt(), performance.toString());
    double winRate = Double.parseDouble(performance.get("total").get("winRate").asText());
    assertTrue(winRate >= 0 && winRate <= 1, performance.toString());

    JsonNode equity = json(200, "GET", "/api/v1/equity", null);
    assertTrue(equity.get("points").size() >= 1, "the first price was sampled: " + equity);
    JsonNode point = equity.get("points").get(0);
    assertTrue(new java.math.BigDecimal(point.get("peak").asText()).compareTo(new java.math.BigDecimal(point.get("equity").asText())) >= 0);

    JsonNode alerts = json(200, "GET", "/api/v1/alerts", null).get("alerts");
    assertTrue(alerts.size() > 0 && alerts.get(0).has("severity") && alerts.get(0).has("atMs"), "the kill switch alerted: " + alerts);

    for (String path : List.of("/api/v1/trades", "/api/v1/equity", "/api/v1/alerts")) {
      assertError(send("GET", path, null, null), 401, "unauthorized");
    }
    assertError(send("GET", "/api/v1/trades?limit=501", key, null), 400, "invalid_parameter");
    assertError(send("GET", "/api/v1/trades?symbol=nope", key, null), 400, "invalid_parameter");
    assertError(send("GET", "/api/v1/trades?symbol=binance:NOPEUSDT", key, null), 404, "unknown_symbol");
    assertError(send("GET", "/api/v1/equity?limit=0", key, null), 400, "invalid_parameter");
    assertError(send("GET", "/api/v1/alerts?limit=201", key, null), 400, "invalid_parameter");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private JsonNode json(int expected, String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, key, body);
    assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
    return body(response);
  }

  private static JsonNode body(HttpResponse<String> response) throws Exception {
    return EngineProcess.JSON.readTree(response.body());
  }

  private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.headers().toString());
    assertEquals(code, body(response).get("error").get("code").asText(), response.body());
  }
}
