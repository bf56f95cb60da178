package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole run with every secret the engine knows set to a recognisable value: the API key, the
 * Binance key and secret, the Telegram bot token (alerts really go to a local Bot API, whose
 * address holds the token), the database password; it trades, is asked once with a wrong key,
 * has its kill switch engaged (an alert goes out), and is stopped with SIGTERM. Then neither
 * the console nor any log file (rotated ones gunzipped) holds any of them, and every log line
 * is JSON, with the correlation fields on the order lines.
 */
class SecretsInLogsIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path tmp;
  private HttpServer telegram;
  private final List<String> telegramPaths = new CopyOnWriteArrayList<>();
  private final List<String> telegramBodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startTelegram() throws IOException {
    telegram = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    telegram.createContext(
        "/",
        exchange -> {
          telegramPaths.add(exchange.getRequestURI().getPath());
          telegramBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    telegram.start();
  }

  @AfterEach
  void stopTelegram() {
    telegram.stop(0);
  }

  private static String secret(String prefix) {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return prefix + HexFormat.of().formatHex(random);
  }

  @Test
  void aWholeRunLogsNoSecretAndWritesOnlyJsonLines() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("TRADER_API_KEY", secret("it-api-key-"));
    secrets.put("TRADER_BINANCE_API_KEY", secret("it-binance-key-"));
    secrets.put("TRADER_BINANCE_API_SECRET", secret("it-binance-secret-"));
    secrets.put("TRADER_TELEGRAM_BOT_TOKEN", "123456789:" + secret("it-telegram-token-"));
    secrets.put("TRADER_DB_PASSWORD", secret("it-db-password-"));
    String wrongKey = secret("it-wrong-key-");
    String apiKey = secrets.get("TRADER_API_KEY");

    Path data = tmp.resolve("data");
    Path config = tmp.resolve("secrets.conf");
    // small log files, so that this run rotates some into gzip too
    Files.writeString(
        config,
        "pekko-trader {\n"
            + "  alerts.telegram.api-url = \"http://127.0.0.1:" + telegram.getAddress().getPort() + "\"\n"
            + "  logging { max-file-size = 2KiB, max-files = 20 }\n"
            + "}\n");
    Map<String, String> extra = new LinkedHashMap<>(secrets);
    extra.put("TRADER_TELEGRAM_CHAT_ID", "-100123456");
    extra.put("--config", config.toString());

    Path console;
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "secrets", extra)) {
      console = engine.log;
      awaitFills(engine, apiKey);

      HttpResponse<String> refused = request(engine, "GET", "/api/v1/status", wrongKey, null);
      assertEquals(401, refused.statusCode(), refused.body());
      HttpResponse<String> engaged =
          request(engine, "POST", "/api/v1/kill-switch", apiKey, "{\"engaged\":true,\"reason\":\"test\"}");
      assertEquals(200, engaged.statusCode(), engaged.body());
      awaitTelegram("Kill switch engaged", engine);
      assertTrue(telegramPaths.contains("/bot" + secrets.get("TRADER_TELEGRAM_BOT_TOKEN") + "/sendMessage"), telegramPaths.toString());

      assertEquals(0, engine.terminate(), engine.logTail());
    }

    Map<String, String> logs = new LinkedHashMap<>();
    logs.put(console.getFileName().toString(), Files.readString(console, StandardCharsets.UTF_8));
    Path logDir = data.resolve("logs");
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path file : files.sorted().toList()) {
        logs.put("logs/" + file.getFileName(), read(file));
      }
    }
    assertTrue(logs.containsKey("logs/engine.jsonl"), "the JSON log file: " + logs.keySet());
    assertTrue(logs.keySet().stream().anyMatch(name -> name.matches("logs/engine\\.\\d+\\.jsonl\\.gz")), "rotated gzip files: " + logs.keySet());

    for (Map.Entry<String, String> log : logs.entrySet()) {
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        assertFalse(log.getValue().contains(secret.getValue()), secret.getKey() + "'s value is in " + log.getKey());
      }
      assertFalse(log.getValue().contains(wrongKey), "the wrong key presented is in " + log.getKey());
    }

    List<JsonNode> lines = new ArrayList<>();
    for (Map.Entry<String, String> log : logs.entrySet()) {
      if (log.getKey().startsWith("logs/")) {
        for (String line : log.getValue().split("\n", -1)) {
          if (!line.isEmpty()) {
            lines.add(json(log.getKey(), line));
          }
        }
      }
    }
    assertTrue(
        lines.stream().anyMatch(l -> l.get("message").asText().contains("approved by risk")
            && l.get("mdc").has("symbol") && l.get("mdc").has("clientOrderId") && l.get("mdc").has("eventId")),
        "an approval line with symbol, clientOrderId and eventId in its mdc");
    assertTrue(
        lines.stream().anyMatch(l -> l.get("message").asText().contains("Kill switch engaged") && l.get("level").asText().equals("WARN")),
        "the kill switch line");
  }

  private static JsonNode json(String file, String line) {
    try {
      JsonNode node = EngineProcess.JSON.readTree(line);
      assertTrue(node.isObject() && node.has("timestamp") && node.has("level") && node.has("message") && node.has("mdc"), line);
      return node;
    } catch (IOException e) {
      fail("a line of " + file + " is not JSON: " + line, e);
      return null;
    }
  }

  private static String read(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.readString(file, StandardCharsets.UTF_8);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static HttpResponse<String> request(EngineProcess engine, String method, String path, String key, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.httpPort + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the portfolio has applied at least one fill (a whole order went through). */
  private static void awaitFills(EngineProcess engine, String apiKey) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      if (!engine.isAlive()) {
        fail("engine exited while waiting for a fill\n" + engine.logTail());
      }
      try {
        HttpResponse<String> status = request(engine, "GET", "/api/v1/status", apiKey, null);
        last = status.body();
        if (status.statusCode() == 200 && EngineProcess.JSON.readTree(status.body()).get("portfolio").get("fills").asLong() > 0) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    fail("no fill within 120 s; last status " + last + "\n" + engine.logTail());
  }

  private void awaitTelegram(String text, EngineProcess engine) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (telegramBodies.stream().anyMatch(body -> body.contains(text))) {
        return;
      }
      Thread.sleep(100);
    }
    fail("the Bot API never received \"" + text + "\"; received " + telegramBodies + "\n" + engine.logTail());
  }
}
