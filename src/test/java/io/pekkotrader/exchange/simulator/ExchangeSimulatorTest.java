package io.pekkotrader.exchange.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator over real loopback WebSockets, read by plain clients and decoded with the dialects. */
class ExchangeSimulatorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "simulator-test",
          ConfigFactory.parseString("pekko.actor.provider = local\npekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]")
              .withFallback(ConfigFactory.defaultReference()));
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static ExchangeSimulator start(SimulatorSettings settings) throws Exception {
    return ExchangeSimulator.start(settings, testKit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<String> symbolsOf(String dialect) {
    return List.of("BTCUSDT", "ETHUSDT");
  }

  /** Connects as the engine would (connect path + subscribe frames) and collects {@code count} text frames. */
  private static List<String> frames(ExchangeSimulator simulator, VenueDialect dialect, List<String> symbols, int count)
      throws Exception {
    String url = simulator.url() + dialect.connectPath(symbols);
    Source<Message, ?> outgoing =
        Source.from(dialect.subscribeFrames(symbols)).<Message>map(TextMessage::create).concat(Source.maybe());
    Flow<Message, String, ?> text = Flow.<Message>create().map(m -> m.asTextMessage().getStrictText());
    return outgoing
        .via(Http.get(testKit.system()).webSocketClientFlow(WebSocketRequest.create(url)))
        .via(text)
        .take(count)
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"binance", "bybit", "kraken"})
  void servesEachSubscribedSymbolsTradesInTheVenuesOwnShape(String venue) throws Exception {
    VenueDialect dialect = VenueDialects.forVenue(venue);
    ExchangeSimulator simulator = start(SimulatorSettings.defaults(venue, symbolsOf(venue)).withGenerator(7, 200, new BigDecimal("5")));
    try {
      List<String> frames = frames(simulator, dialect, List.of("ETHUSDT"), 40);

      Map<String, Long> lastId = new HashMap<>();
      int trades = 0;
      for (String frame : frames) {
        Decoded decoded = dialect.decode(frame);
        assertFalse(decoded instanceof Decoded.Malformed, () -> "not malformed: " + frame);
        if (decoded instanceof Decoded.Trades batch) {
          for (Decoded.VenueTrade trade : batch.trades()) {
            assertEquals("ETHUSDT", trade.symbol(), "only the subscribed symbol");
            long id = Long.parseLong(trade.trade().tradeId());
            assertTrue(id > lastId.getOrDefault(trade.symbol(), 0L), "ids increase per symbol");
            lastId.put(trade.symbol(), id);
            trades++;
          }
        }
      }
      assertTrue(trades >= 30, "mostly trades (acks and heartbeats aside): " + trades);
      assertEquals(1, simulator.stats().connectionsAccepted());
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesItsTapeInOrderOnASystemWithACoarserSchedulerTick() throws Exception {
    org.apache.pekko.actor.typed.ActorSystem<Void> system = ExchangeSimulator.createSystem("coarse-tick", Duration.ofMillis(50));
    try {
      assertEquals(20.0, system.classicSystem().scheduler().maxFrequency(), 0.001, "one tick every 50 ms");
      VenueDialect binance = VenueDialects.forVenue("binance");
      ExchangeSimulator simulator =
          ExchangeSimulator.start(SimulatorSettings.defaults("binance", symbolsOf("binance")).withGenerator(7, 200, new BigDecimal("5")), system)
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      try {
        Map<String, Long> lastId = new HashMap<>();
        int trades = 0;
        for (String frame : frames(simulator, binance, List.of("BTCUSDT", "ETHUSDT"), 40)) {
          if (binance.decode(frame) instanceof Decoded.Trades batch) {
            for (Decoded.VenueTrade trade : batch.trades()) {
              long id = Long.parseLong(trade.trade().tradeId());
              assertTrue(id > lastId.getOrDefault(trade.symbol(), 0L), "ids increase per symbol");
              lastId.put(trade.symbol(), id);
              trades++;
            }
          }
        }
        assertTrue(trades >= 30, "mostly trades: " + trades);
        assertEquals(Set.of("BTCUSDT", "ETHUSDT"), lastId.keySet());
      } finally {
        simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ExchangeSimulator.createSystem("too-coarse", Duration.ofMillis(200)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"binance", "bybit", "kraken"})
  void listsASymbolItDidNotGenerateWhenAClientSubscribesToIt(String venue) throws Exception {
    VenueDialect dialect = VenueDialects.forVenue(venue);
    ExchangeSimulator simulator = start(SimulatorSettings.defaults(venue, symbolsOf(venue)).withGenerator(7, 200, new BigDecimal("5")));
    try {
      List<String> frames = frames(simulator, dialect, List.of("ETHUSDT", "SOLUSDT"), 60);

      Map<String, Long> lastId = new HashMap<>();
      Map<String, Integer> trades = new HashMap<>();
      for (String frame : frames) {
        if (dialect.decode(frame) instanceof Decoded.Trades batch) {
          for (Decoded.VenueTrade trade : batch.trades()) {
            long id = Long.parseLong(trade.trade().tradeId());
            assertTrue(id > lastId.getOrDefault(trade.symbol(), 0L), "ids increase per symbol");
            lastId.put(trade.symbol(), id);
            trades.merge(trade.symbol(), 1, Integer::sum);
          }
        }
      }
      assertTrue(trades.getOrDefault("SOLUSDT", 0) >= 10, "the late listing trades like the others: " + trades);
      assertTrue(trades.getOrDefault("ETHUSDT", 0) >= 10, "and the generated symbols go on: " + trades);
      assertEquals(Set.of("ETHUSDT", "SOLUSDT"), trades.keySet(), "only the subscribed symbols");
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void sendsKrakensHeartbeatOnAQuietConnection() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "");
    VenueDialect kraken = VenueDialects.forVenue("kraken");
    ExchangeSimulator simulator =
        start(
            new SimulatorSettings(
                "127.0.0.1", 0, "kraken", List.of(), 1, 1, BigDecimal.ONE, empty, 0, FaultSpec.NONE, Duration.ofMillis(100), Duration.ZERO));
    try {
      List<String> frames = frames(simulator, kraken, List.of(), 3);

      for (String frame : frames) {
        assertEquals(new Decoded.Ignored("heartbeat"), kraken.decode(frame));
      }
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pingsAnIdleBinanceConnectionFromTheServer() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "");
    ExchangeSimulator simulator =
        start(
            new SimulatorSettings(
                "127.0.0.1", 0, "binance", List.of(), 1, 1, BigDecimal.ONE, empty, 0, FaultSpec.NONE, Duration.ofSeconds(1),
                Duration.ofMillis(200)));
    CountDownLatch pings = new CountDownLatch(2);
    WebSocket socket =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                URI.create(simulator.url() + "/stream?streams=btcusdt@trade"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                    pings.countDown();
                    return WebSocket.Listener.super.onPing(webSocket, message);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      assertTrue(pings.await(10, TimeUnit.SECONDS), "two pings from the server within 10 s at a 200 ms keep-alive");
    } finally {
      socket.abort();
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void replaysAFileFromItsFirstLineToEveryConnection() throws Exception {
    Path file = Files.writeString(tmp.resolve("frames.jsonl"), "{\"n\":1}\n\n{\"n\":2}\r\n{\"n\":3}\n");
    ExchangeSimulator simulator =
        start(SimulatorSettings.defaults("binance", List.of("BTCUSDT")).withReplay(file, 0));
    try {
      VenueDialect binance = VenueDialects.forVenue("binance");

      List<String> first = frames(simulator, binance, List.of("BTCUSDT"), 3);
      List<String> second = frames(simulator, binance, List.of("BTCUSDT"), 3);

      assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), first);
      assertEquals(first, second);
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesUpgradesWithServiceUnavailableWhileTheRefuseFaultHolds() throws Exception {
    ExchangeSimulator simulator = start(SimulatorSettings.defaults("binance", List.of("BTCUSDT")));
    try {
      simulator.setFaults(FaultSpec.parse("refuse=1m"));

      Pair<CompletionStage<WebSocketUpgradeResponse>, ?> attempt =
          Http.get(testKit.system())
              .singleWebSocketRequest(
                  WebSocketRequest.create(simulator.url() + "/stream?streams=btcusdt@trade"),
                  Flow.fromSinkAndSource(Sink.ignore(), Source.maybe()),
                  org.apache.pekko.stream.Materializer.matFromSystem(testKit.system()));
      WebSocketUpgradeResponse response = attempt.first().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertFalse(response.isValid());
      assertEquals(503, response.response().status().intValue());
      assertEquals(1, simulator.stats().connectionsRefused());
      assertEquals(0, simulator.stats().connectionsAccepted());
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void dropsEveryConnectionOnceItIsOlderThanTheDropInterval() throws Exception {
    ExchangeSimulator simulator =
        start(SimulatorSettings.defaults("bybit", List.of("BTCUSDT")).withFaults(FaultSpec.parse("drop=500ms")));
    VenueDialect bybit = VenueDialects.forVenue("bybit");
    try {
      long started = System.nanoTime();
      CompletableFuture<Object> ended =
          Source.from(bybit.subscribeFrames(List.of("BTCUSDT")))
              .<Message>map(TextMessage::create)
              .concat(Source.maybe())
              .via(Http.get(testKit.system()).webSocketClientFlow(WebSocketRequest.create(simulator.url() + bybit.connectPath(List.of("BTCUSDT")))))
              .toMat(Sink.ignore(), Keep.right())
              .run(testKit.system())
              .<Object>thenApply(done -> done)
              .exceptionally(failure -> failure)
              .toCompletableFuture();

      ended.get(10, TimeUnit.SECONDS);
      long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
      // only a lower bound: a loaded machine may drop late, a correct simulator never drops early
      assertTrue(tookMs >= 500, "not dropped before it was 500 ms old: " + tookMs);
      assertEquals(1, simulator.stats().connectionsDropped());
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void dropsASilentConnectionOnceADropFaultIsSetAtRunTime() throws Exception {
    Path empty = Files.writeString(tmp.resolve("silent.jsonl"), "");
    ExchangeSimulator simulator =
        start(
            new SimulatorSettings(
                "127.0.0.1", 0, "binance", List.of(), 1, 1, BigDecimal.ONE, empty, 0, FaultSpec.NONE, Duration.ZERO, Duration.ZERO));
    VenueDialect binance = VenueDialects.forVenue("binance");
    try {
      CompletableFuture<Object> ended =
          Source.<Message>maybe()
              .via(Http.get(testKit.system()).webSocketClientFlow(WebSocketRequest.create(simulator.url() + binance.connectPath(List.of("BTCUSDT")))))
              .toMat(Sink.ignore(), Keep.right())
              .run(testKit.system())
              .<Object>thenApply(done -> done)
              .exceptionally(failure -> failure)
              .toCompletableFuture();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (simulator.stats().connectionsAccepted() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, simulator.stats().connectionsAccepted());
      assertFalse(ended.isDone(), "a silent connection without a drop fault stays open");

      simulator.setFaults(FaultSpec.parse("drop=200ms"));

      ended.get(10, TimeUnit.SECONDS);
      assertEquals(1, simulator.stats().connectionsDropped(), "dropped by the fault clock: no frame went out to meet the fault");
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void dropsEveryOpenConnectionOnRequestAndAcceptsTheNextOnes() throws Exception {
    ExchangeSimulator simulator = start(SimulatorSettings.defaults("binance", List.of("BTCUSDT")).withGenerator(3, 100, BigDecimal.ONE));
    VenueDialect binance = VenueDialects.forVenue("binance");
    try {
      CompletableFuture<Object> first =
          Source.<Message>maybe()
              .via(Http.get(testKit.system()).webSocketClientFlow(WebSocketRequest.create(simulator.url() + binance.connectPath(List.of("BTCUSDT")))))
              .toMat(Sink.ignore(), Keep.right())
              .run(testKit.system())
              .<Object>thenApply(done -> done)
              .exceptionally(failure -> failure)
              .toCompletableFuture();
      testKit.createTestProbe().awaitAssert(WAIT, () -> {
        assertEquals(1, simulator.stats().connectionsOpen());
        return null;
      });

      simulator.dropConnections();

      first.get(10, TimeUnit.SECONDS);
      assertEquals(1, simulator.stats().connectionsDropped());
      assertEquals(5, frames(simulator, binance, List.of("BTCUSDT"), 5).size(), "a new connection is served");
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void corruptsTheRequestedShareOfDataFramesAndCountsThem() throws Exception {
    ExchangeSimulator simulator =
        start(
            SimulatorSettings.defaults("binance", List.of("BTCUSDT"))
                .withGenerator(3, 2_000, new BigDecimal("5"))
                .withFaults(FaultSpec.parse("garbage=20%,truncate=10%")));
    VenueDialect binance = VenueDialects.forVenue("binance");
    try {
      List<String> frames = frames(simulator, binance, List.of("BTCUSDT"), 1_000);

      long malformed = frames.stream().filter(f -> binance.decode(f) instanceof Decoded.Malformed).count();
      SimulatorStats.Snapshot stats = simulator.stats();
      assertTrue(stats.garbageSent() > 100 && stats.garbageSent() < 300, "about 20 % garbage: " + stats);
      assertTrue(stats.truncatedSent() > 40 && stats.truncatedSent() < 160, "about 10 % truncated: " + stats);
      assertTrue(malformed > 150 && malformed < 400, "garbage and truncated frames do not decode: " + malformed);
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void resendsTheLatestTradesOnANewSubscriptionWhenAskedToOverlap() throws Exception {
    ExchangeSimulator simulator =
        start(
            SimulatorSettings.defaults("kraken", List.of("BTCUSD"))
                .withGenerator(3, 100, new BigDecimal("5"))
                .withFaults(FaultSpec.parse("overlap=10")));
    VenueDialect kraken = VenueDialects.forVenue("kraken");
    try {
      CompletableFuture<List<String>> first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return frames(simulator, kraken, List.of("BTCUSD"), 100);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      testKit.createTestProbe().awaitAssert(WAIT, () -> {
        assertTrue(simulator.stats().tradesSent() >= 30, "the first connection is receiving");
        return null;
      });

      List<String> secondIds = tradeIds(kraken, frames(simulator, kraken, List.of("BTCUSD"), 12));
      List<String> firstIds = tradeIds(kraken, first.get(WAIT.toSeconds(), TimeUnit.SECONDS));

      assertTrue(secondIds.size() >= 10, "" + secondIds);
      assertTrue(firstIds.contains(secondIds.get(0)),
          "a new subscription starts with trades an open connection already had: " + firstIds + " / " + secondIds);
      assertTrue(simulator.stats().tradesSent() >= 100 + secondIds.size());
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> tradeIds(VenueDialect dialect, List<String> frames) {
    List<String> ids = new ArrayList<>();
    for (String frame : frames) {
      if (dialect.decode(frame) instanceof Decoded.Trades trades) {
        trades.trades().forEach(t -> ids.add(t.trade().tradeId()));
      }
    }
    return ids;
  }

  @Test
  void setsAndShowsFaultsAndStatsThroughTheAdminEndpoints() throws Exception {
    ExchangeSimulator simulator = start(SimulatorSettings.defaults("binance", List.of("BTCUSDT")));
    String admin = "http://127.0.0.1:" + simulator.port() + "/admin/";
    try {
      HttpResponse<String> set = post(admin + "faults", "drop=2s, garbage=5%");
      HttpResponse<String> shown = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "faults")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> bad = post(admin + "faults", "drop=2s,dorp=1s");
      HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "stats")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> drop = post(admin + "drop", "");

      assertEquals(200, set.statusCode());
      assertEquals("drop=2s,garbage=0.05", JSON.readTree(shown.body()).get("spec").asText());
      assertEquals(400, bad.statusCode());
      JsonNode error = JSON.readTree(bad.body()).get("error");
      assertEquals("invalid_fault_spec", error.get("code").asText());
      assertTrue(error.get("message").asText().contains("\"dorp=1s\" is not a known fault"), bad.body());
      assertEquals("drop=2s,garbage=0.05", simulator.faults().toString(), "a bad spec changes nothing");
      assertInstanceOf(Number.class, JSON.convertValue(JSON.readTree(stats.body()).get("connectionsAccepted"), Number.class));
      assertTrue(JSON.readTree(stats.body()).has("garbageSent"));
      assertEquals(200, drop.statusCode());
      assertEquals(0, JSON.readTree(drop.body()).get("dropped").asInt(), "no connection was open");
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain").build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
