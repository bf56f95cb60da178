package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.exchange.simulator.ExchangeSimulator;
import io.pekkotrader.exchange.simulator.FaultSpec;
import io.pekkotrader.exchange.simulator.SimulatorSettings;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine's side of one venue connection, against the exchange simulator over loopback. */
class WebSocketMarketSourceTest {
  private static final ActorTestKit testKit = ActorTestKit.create("ws-source-test", StreamTests.config());
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static ExchangeSimulator start(SimulatorSettings settings) throws Exception {
    return ExchangeSimulator.start(settings, testKit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static WebSocketMarketSource source(
      WebSocketTransport.Kind client, ExchangeSimulator simulator, List<SymbolId> symbols, StreamSettings settings, TestProbe<StreamEvent> events) {
    return new WebSocketMarketSource(
        WebSocketTransports.get(testKit.system(), client),
        simulator.url(),
        VenueDialects.forVenue(simulator.settings().dialect()),
        symbols,
        settings,
        events.getRef(),
        Clock.systemUTC());
  }

  static List<Arguments> venuesAndClients() {
    List<Arguments> all = new java.util.ArrayList<>();
    for (WebSocketTransport.Kind client : WebSocketTransport.Kind.values()) {
      for (String venue : List.of("binance", "bybit", "kraken")) {
        all.add(Arguments.of(venue, client));
      }
    }
    return all;
  }

  @ParameterizedTest
  @MethodSource("venuesAndClients")
  void subscribesAndDecodesTheVenuesTradesIntoTheEnginesSymbols(String venue, WebSocketTransport.Kind client) throws Exception {
    ExchangeSimulator simulator =
        start(SimulatorSettings.defaults(venue, List.of("BTCUSDT", "ETHUSDT")).withGenerator(5, 100, new BigDecimal("5")));
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    SymbolId btc = new SymbolId(venue, "BTCUSDT");
    try {
      List<MarketTrade> trades =
          source(client, simulator, List.of(btc), StreamSettings.defaults(), events)
              .connect()
              .take(20)
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertEquals(20, trades.size());
      assertTrue(trades.stream().allMatch(t -> t.symbol().equals(btc)), "only the subscribed symbol, as an engine id");
      assertTrue(trades.stream().allMatch(t -> t.trade().price().signum() > 0 && t.trade().quantity().signum() > 0));
      events.fishForMessage(
          WAIT,
          e -> e instanceof StreamEvent.Connected
              ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
              : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void countsAndDropsMalformedFramesWithoutFailingTheConnection(WebSocketTransport.Kind client) throws Exception {
    ExchangeSimulator simulator =
        start(
            SimulatorSettings.defaults("binance", List.of("BTCUSDT"))
                .withGenerator(5, 500, new BigDecimal("5"))
                .withFaults(FaultSpec.parse("garbage=30%,truncate=10%")));
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    try {
      List<MarketTrade> trades =
          source(client, simulator, List.of(SymbolId.parse("binance:BTCUSDT")), StreamSettings.defaults(), events)
              .connect()
              .take(300)
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertEquals(300, trades.size(), "the connection survived its garbage");
      long malformed = 0;
      long messages = 0;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (malformed < 100 && System.nanoTime() < deadline) {
        StreamEvent event = events.receiveMessage(WAIT);
        if (event instanceof StreamEvent.Progress progress) {
          malformed += progress.malformed();
          messages += progress.messages();
        }
      }
      assertTrue(malformed >= 100, "garbage and truncated frames counted as malformed: " + malformed + " of " + messages);
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void failsTheConnectionWhenNoFrameArrivesWithinTheIdleTimeout(WebSocketTransport.Kind client) throws Exception {
    Path empty = Files.writeString(tmp.resolve("silence.jsonl"), "");
    ExchangeSimulator simulator = start(SimulatorSettings.defaults("binance", List.of("BTCUSDT")).withReplay(empty, 0));
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    try {
      CompletionStage<Object> ended =
          source(client, simulator, List.of(SymbolId.parse("binance:BTCUSDT")), StreamSettings.defaults().withIdleTimeout(Duration.ofMillis(500)), events)
              .connect()
              .runWith(Sink.ignore(), testKit.system())
              .<Object>thenApply(done -> done)
              .exceptionally(failure -> failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure);

      Object outcome = ended.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(outcome instanceof org.apache.pekko.stream.StreamIdleTimeoutException, "idle timeout: " + outcome);
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void failsTheConnectionWhenTheVenueRefusesTheUpgrade(WebSocketTransport.Kind client) throws Exception {
    ExchangeSimulator simulator =
        start(SimulatorSettings.defaults("kraken", List.of("BTCUSD")).withFaults(FaultSpec.parse("refuse=1m")));
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    try {
      Object outcome =
          source(client, simulator, List.of(SymbolId.parse("kraken:BTCUSD")), StreamSettings.defaults(), events)
              .connect()
              .runWith(Sink.ignore(), testKit.system())
              .<Object>thenApply(done -> done)
              .exceptionally(failure -> failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure)
              .toCompletableFuture()
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertTrue(outcome instanceof Throwable && outcome.toString().contains("503"), "a refused upgrade fails: " + outcome);
      events.expectNoMessage(Duration.ofMillis(200));
    } finally {
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void collectsFramesThatArriveInPiecesAndCountsBinaryAndOversizedFrames(WebSocketTransport.Kind client) throws Exception {
    VenueDialect binance = VenueDialects.forVenue("binance");
    String first = binance.encodeTrade("BTCUSDT", new Trade("101", 1_700_000_000_000L, new BigDecimal("100.5"), new BigDecimal("0.25"), Side.BUY));
    String second = binance.encodeTrade("BTCUSDT", new Trade("102", 1_700_000_000_001L, new BigDecimal("100.6"), new BigDecimal("0.5"), Side.SELL));
    List<Message> frames =
        List.of(
            TextMessage.create(Source.from(List.of(first.substring(0, 20), first.substring(20, 90), first.substring(90)))),
            BinaryMessage.create(ByteString.fromString("not text")),
            TextMessage.create(Source.from(List.of("x".repeat(600), "x".repeat(600)))),
            TextMessage.create(second));
    ServerBinding venue =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(Directives.handleWebSocketMessages(Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.from(frames).concat(Source.maybe()))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    StreamSettings defaults = StreamSettings.defaults();
    StreamSettings limited =
        new StreamSettings(
            defaults.minBackoff(), defaults.maxBackoff(), defaults.randomFactor(), defaults.connectionBudget(), defaults.budgetWindow(),
            defaults.idleTimeout(), defaults.dedupWindow(), defaults.frameTimeout(), 1_000);
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    try {
      List<MarketTrade> trades =
          new WebSocketMarketSource(
                  WebSocketTransports.get(testKit.system(), client), "ws://127.0.0.1:" + venue.localAddress().getPort(), binance, List.of(SymbolId.parse("binance:BTCUSDT")),
                  limited, events.getRef(), Clock.systemUTC())
              .connect()
              .take(2)
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertEquals(List.of("101", "102"), trades.stream().map(t -> t.trade().tradeId()).toList(), "the pieces made one trade, in order");
      long[] counts = new long[4];
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (counts[0] < 4 && System.nanoTime() < deadline) {
        if (events.receiveMessage(WAIT) instanceof StreamEvent.Progress progress) {
          counts[0] += progress.messages();
          counts[1] += progress.trades();
          counts[2] += progress.ignored();
          counts[3] += progress.malformed();
        }
      }
      assertArrayEquals(new long[] {4, 2, 1, 1}, counts, "messages, trades, ignored (binary), malformed (too long)");
    } finally {
      venue.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void failsTheConnectionWhenAMessageInPiecesDoesNotCompleteWithinTheFrameTimeout() throws Exception {
    ServerBinding venue =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(
                Directives.handleWebSocketMessages(
                    Flow.fromSinkAndSourceCoupled(
                        Sink.ignore(),
                        Source.<Message>single(TextMessage.create(Source.single("{\"stream\":").concat(Source.maybe()))).concat(Source.maybe()))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    StreamSettings defaults = StreamSettings.defaults();
    StreamSettings quick =
        new StreamSettings(
            defaults.minBackoff(), defaults.maxBackoff(), defaults.randomFactor(), defaults.connectionBudget(), defaults.budgetWindow(),
            Duration.ofSeconds(30), defaults.dedupWindow(), Duration.ofMillis(500), defaults.maxFrameChars());
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    try {
      Object outcome =
          new WebSocketMarketSource(
                  testKit.system(), "ws://127.0.0.1:" + venue.localAddress().getPort(), VenueDialects.forVenue("binance"),
                  List.of(SymbolId.parse("binance:BTCUSDT")), quick, events.getRef(), Clock.systemUTC())
              .connect()
              .runWith(Sink.ignore(), testKit.system())
              .<Object>thenApply(done -> done)
              .exceptionally(failure -> failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure)
              .toCompletableFuture()
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertTrue(outcome instanceof java.util.concurrent.TimeoutException, "the stalled message fails the connection: " + outcome);
    } finally {
      venue.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void runsThePipelineOnTheClientsEventLoopAndDeliversEveryTradeInOrder() throws Exception {
    ExchangeSimulator simulator =
        start(SimulatorSettings.defaults("binance", List.of("BTCUSDT")).withGenerator(5, 500, new BigDecimal("5")));
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.CopyOnWriteArrayList<Long> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    WebSocketTransport transport = WebSocketTransports.get(testKit.system(), WebSocketTransport.Kind.NETTY);
    WebSocketMarketSource source = source(WebSocketTransport.Kind.NETTY, simulator, List.of(SymbolId.parse("binance:BTCUSDT")), StreamSettings.defaults(), events);
    org.apache.pekko.stream.UniqueKillSwitch stop =
        MarketDataPipeline.start(
            source::connect,
            Flow.<MarketTrade>create()
                .map(
                    trade -> {
                      threads.add(Thread.currentThread().getName());
                      ids.add(Long.parseLong(trade.trade().tradeId()));
                      return org.apache.pekko.Done.getInstance();
                    }),
            StreamSettings.defaults(),
            events.getRef(),
            Clock.systemUTC(),
            org.apache.pekko.stream.Materializer.createMaterializer(testKit.system()),
            transport.streamAttributes(testKit.system()));
    try {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (ids.size() < 200 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }

      assertTrue(ids.size() >= 200, "trades delivered: " + ids.size());
      assertEquals(java.util.Set.of("market-data-netty"), threads, "decoded, de-duplicated and delivered on the thread that read them");
      for (int i = 1; i < ids.size(); i++) {
        assertEquals(ids.get(i - 1) + 1, ids.get(i), "trade ids in order, none missing, none twice");
      }
    } finally {
      stop.shutdown();
      simulator.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void composesTheUrlWithoutRepeatingTheVenuesPath() {
    assertEquals("wss://stream.bybit.com/v5/public/spot", WebSocketMarketSource.compose("wss://stream.bybit.com/v5/public/spot", "/v5/public/spot"));
    assertEquals("wss://stream.bybit.com/v5/public/spot", WebSocketMarketSource.compose("wss://stream.bybit.com", "/v5/public/spot"));
    assertEquals("wss://ws.kraken.com/v2", WebSocketMarketSource.compose("wss://ws.kraken.com/v2/", "/v2"));
    assertEquals(
        "wss://stream.binance.com:9443/stream?streams=btcusdt@trade",
        WebSocketMarketSource.compose("wss://stream.binance.com:9443", "/stream?streams=btcusdt@trade"));
    assertEquals(
        "ws://127.0.0.1:1234/stream?streams=btcusdt@trade",
        WebSocketMarketSource.compose("ws://127.0.0.1:1234/stream", "/stream?streams=btcusdt@trade"));
  }
}
