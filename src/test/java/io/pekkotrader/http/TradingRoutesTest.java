package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.QuoteAssets;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.risk.TradingDay;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /trades}, {@code /equity}, {@code /alerts} and the performance in {@code /portfolio} on a
 * real HTTP server in front of a real Portfolio and Notifier, the history read from the in-memory
 * journal: one long round trip of BTCUSDT closed by an exit split over two fills (reason in the
 * symbol's journal), an ETHUSDT position still open, two equity samples a minute apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TradingRoutesTest {
  private static final String KEY = "trading-routes-test-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");
  private static final long T0 = 1_700_000_000_000L;

  private final AtomicLong now = new AtomicLong(T0);
  private ActorTestKit testKit;
  private Engine engine;
  private ControlApiUnderTest api;

  @BeforeAll
  void start() throws Exception {
    testKit = ControlApiUnderTest.testKit();
    Settings settings = ControlApiUnderTest.settings();
    Clock clock = new Clock() {
      @Override
      public long millis() {
        return now.get();
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now.get());
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
    ActorRef<Notifier.Command> notifier = testKit.spawn(Notifier.create(List.of(), 1, settings.alerts().backoff(), clock));
    ActorRef<Portfolio.Command> portfolio =
        testKit.spawn(
            Portfolio.create(
                QuoteAssets.single("USDT", new BigDecimal("10000")), io.pekkotrader.domain.AssetPrecisions.DEFAULT, TradingDay.UTC_MIDNIGHT, clock, 100,
                Duration.ofMinutes(1), notifier));
    PersistenceTestKit.create(testKit.system())
        .persistForRecovery(
            SymbolTrader.persistenceId(BTC).id(),
            List.of(
                new SymbolTrader.WarmUpCompleted(8, T0),
                new SymbolTrader.EntryIntended(intent("BTCUSDT-2", IntentKind.ENTRY, Side.BUY, "entry signal")),
                new SymbolTrader.ExitIntended(intent("BTCUSDT-3", IntentKind.EXIT, Side.SELL, "take profit"))));
    apply(portfolio, new Fill("b1", "BTCUSDT-2", BTC, Side.BUY, dec("0.5"), dec("100.1"), dec("0.05005"), T0 + 1_000));
    apply(portfolio, new Fill("s1", "BTCUSDT-3", BTC, Side.SELL, dec("0.2"), dec("101.2"), dec("0.02024"), T0 + 60_000));
    apply(portfolio, new Fill("s2", "BTCUSDT-3", BTC, Side.SELL, dec("0.3"), dec("101.2"), dec("0.03036"), T0 + 61_000));
    apply(portfolio, new Fill("e1", "ETHUSDT-2", ETH, Side.BUY, dec("1"), dec("3000"), dec("0"), T0 + 62_000));
    portfolio.tell(new Portfolio.MarkPrice(ETH, dec("3000")));
    processed(portfolio);
    now.set(T0 + 60_000);
    portfolio.tell(new Portfolio.MarkPrice(ETH, dec("2990")));
    processed(portfolio);
    notifier.tell(new Notifier.Alert(Notifier.Severity.WARN, "first", "older alert", Map.of("k", "v")));
    notifier.tell(new Notifier.Alert(Notifier.Severity.CRITICAL, "second", "newer alert", Map.of()));
    engine =
        new Engine(settings, 0, portfolio, null, Map.of(), null, null, null, null, new io.pekkotrader.actors.SymbolDirectory(settings.symbols()), null, notifier);
    api = ControlApiUnderTest.bind(testKit, engine, KEY, Duration.ofSeconds(10));
  }

  private static OrderIntent intent(String clientOrderId, IntentKind kind, Side side, String reason) {
    return new OrderIntent(clientOrderId, BTC, kind, side, dec("0.5"), dec("100"), "ma-crossover", reason, T0);
  }

  private void apply(ActorRef<Portfolio.Command> portfolio, Fill fill) {
    TestProbe<StatusReply<Done>> probe = testKit.createTestProbe();
    portfolio.tell(new Portfolio.ApplyFill(fill, probe.getRef()));
    assertTrue(probe.receiveMessage().isSuccess());
  }

  /** Returns once the portfolio has handled what was sent to it before. */
  private void processed(ActorRef<Portfolio.Command> portfolio) {
    TestProbe<Portfolio.Summary> probe = testKit.createTestProbe();
    portfolio.tell(new Portfolio.GetSummary(probe.getRef()));
    probe.receiveMessage();
  }

  private static BigDecimal dec(String value) {
    return new BigDecimal(value);
  }

  @AfterAll
  void stop() {
    api.close();
    testKit.shutdownTestKit();
  }

  private JsonNode ok(String path) throws Exception {
    HttpResponse<String> response = api.send("GET", path, null, KEY);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private void assertRefused(int status, String path, String field) throws Exception {
    HttpResponse<String> response = api.send("GET", path, null, KEY);
    assertEquals(status, response.statusCode(), path + " -> " + response.body());
    assertEquals(field, JSON.readTree(response.body()).path("error").path("field").asText(), response.body());
  }

  @Test
  void tradesListTheClosedPositionWithVolumeWeightedPricesFeesAndItsExitReason() throws Exception {
    JsonNode body = ok("trades");

    assertEquals(1, body.get("trades").size(), "the ETH position is still open: not a round trip");
    JsonNode trade = body.get("trades").get(0);
    assertEquals(1, trade.get("number").asLong());
    assertEquals("binance:BTCUSDT", trade.get("symbol").asText());
    assertEquals("long", trade.get("side").asText());
    assertEquals(T0 + 1_000, trade.get("entryTimeMs").asLong());
    assertEquals(T0 + 61_000, trade.get("exitTimeMs").asLong());
    assertEquals(60_000, trade.get("holdingMs").asLong());
    assertEquals("100.1", trade.get("entryPrice").asText());
    assertEquals("101.2", trade.get("exitPrice").asText());
    assertEquals("0.5", trade.get("quantity").asText());
    assertEquals("0.10065", trade.get("fees").asText());
    assertEquals("0.44935", trade.get("pnl").asText());
    assertEquals("0.90", trade.get("pnlPct").asText());
    assertEquals("take profit", trade.get("exitReason").asText());
    assertTrue(body.get("nextBefore").isNull());
    assertEquals(0, ok("trades?before=1").get("trades").size());
    assertEquals(0, ok("trades?symbol=binance:ETHUSDT&limit=500").get("trades").size());
    assertEquals(1, ok("trades?symbol=binance:BTCUSDT&limit=1&before=2").get("trades").size());
  }

  @Test
  void portfolioCarriesWinRateAndPnlInTotalAndPerSymbol() throws Exception {
    JsonNode performance = ok("portfolio").get("performance");

    assertEquals(1, performance.get("total").get("trades").asLong());
    assertEquals(1, performance.get("total").get("wins").asLong());
    assertEquals(0, performance.get("total").get("losses").asLong());
    assertEquals("1", performance.get("total").get("winRate").asText());
    assertEquals("0.44935", performance.get("total").get("pnl").asText());
    assertEquals("0.44935", performance.get("bySymbol").get("binance:BTCUSDT").get("pnl").asText());
    assertTrue(performance.get("bySymbol").path("binance:ETHUSDT").isMissingNode(), "no round trip of ETH yet");
  }

  @Test
  void equityIsReadFromTheJournalWithPeakAndDrawdown() throws Exception {
    JsonNode body = ok("equity");

    assertEquals("USDT", body.get("quoteAsset").asText());
    JsonNode points = body.get("points");
    assertEquals(2, points.size(), "one sample per minute: the first price, then a minute later");
    assertEquals(T0, points.get(0).get("atMs").asLong());
    // 10000 + the trade's 0.44935; the ETH bought at 3000 marked at 3000, then 2990
    assertEquals("10000.44935", points.get(0).get("equity").asText());
    assertEquals("9990.44935", points.get(1).get("equity").asText());
    assertEquals("10000.44935", points.get(1).get("peak").asText());
    assertEquals("10", points.get(1).get("drawdown").asText());
    assertEquals("0.10", points.get(1).get("drawdownPct").asText());
    assertEquals(1, ok("equity?limit=1").get("points").size());
    assertEquals("10", ok("equity?limit=1").get("points").get(0).get("drawdown").asText(), "the peak before the window counts");
    JsonNode curve = ok("portfolio").get("equityCurve");
    assertTrue(curve.size() >= 2, curve.toString());
  }

  @Test
  void aNewReaderOfTheJournalSeesTheSameHistoryAsAfterARestart() throws Exception {
    var fresh = ControlApiUnderTest.tradingHistory(testKit, engine);

    assertEquals(2, fresh.equity(100).toCompletableFuture().get().size());
    assertEquals(1, fresh.performance().toCompletableFuture().get().total().trades());
    assertEquals("take profit", fresh.trades(Long.MAX_VALUE, 10, null).toCompletableFuture().get().trades().get(0).exitReason());
  }

  @Test
  void alertsComeNewestFirstWithSeverityAndTime() throws Exception {
    JsonNode alerts = ok("alerts").get("alerts");

    assertEquals(2, alerts.size());
    assertEquals("second", alerts.get(0).get("title").asText());
    assertEquals("CRITICAL", alerts.get(0).get("severity").asText());
    assertEquals("WARN", alerts.get(1).get("severity").asText());
    assertEquals("v", alerts.get(1).get("fields").get("k").asText());
    assertTrue(alerts.get(1).get("atMs").asLong() >= T0);
    assertEquals(1, ok("alerts?limit=1").get("alerts").size());
  }

  @Test
  void badParametersAreRefusedWithTheFieldThatIsWrong() throws Exception {
    for (String limit : List.of("0", "501", "abc", "-1", "99999999999")) {
      assertRefused(400, "trades?limit=" + limit, "limit");
    }
    assertRefused(400, "trades?before=0", "before");
    assertRefused(400, "trades?before=x", "before");
    assertRefused(400, "trades?symbol=nocolon", "symbol");
    assertRefused(400, "trades?symbol=", "symbol");
    assertRefused(404, "trades?symbol=binance:DOGEUSDT", "symbol");
    assertRefused(400, "trades?page=2", "page");
    assertRefused(400, "equity?limit=0", "limit");
    assertRefused(400, "equity?limit=10001", "limit");
    assertRefused(400, "equity?before=3", "before");
    assertRefused(400, "alerts?limit=201", "limit");
    assertRefused(400, "alerts?limit=", "limit");
    assertEquals(10000, TradingRoutes.MAX_EQUITY_POINTS);
  }

  @Test
  void everyNewRouteRefusesAMissingOrWrongKey() throws Exception {
    for (String path : List.of("trades", "equity", "alerts")) {
      assertEquals(401, api.send("GET", path, null, null).statusCode(), path);
      assertEquals(401, api.send("GET", path, null, KEY + "x").statusCode(), path);
    }
  }
}
