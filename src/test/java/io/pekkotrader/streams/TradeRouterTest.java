package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The router's lanes and breakers, with a stand-in for the SymbolTraders whose answers the test gives. */
class TradeRouterTest {
  private static final ActorTestKit testKit = ActorTestKit.create("trade-router-test", StreamTests.config());
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SymbolBreaker.Settings BREAKER = new SymbolBreaker.Settings(Duration.ofMillis(200), Duration.ofMillis(400), 2);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  /** One ask the router made; the test answers it. */
  private record Offer(SymbolId symbol, List<Trade> trades, CompletableFuture<Done> answer) {
    List<String> ids() {
      return trades.stream().map(Trade::tradeId).toList();
    }
  }

  /** Records every ask; the futures stay open until the test completes or fails them. */
  private static final class ManualTraders implements TradeRouter.Traders {
    final LinkedBlockingQueue<Offer> offers = new LinkedBlockingQueue<>();

    @Override
    public CompletableFuture<Done> offer(SymbolId symbol, List<Trade> trades, Duration timeout) {
      Offer offer = new Offer(symbol, trades, new CompletableFuture<>());
      offers.add(offer);
      return offer.answer();
    }

    Offer next() throws InterruptedException {
      Offer offer = offers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(offer, "the router asked nothing");
      return offer;
    }

    void expectNoOffer() throws InterruptedException {
      assertNull(offers.poll(300, TimeUnit.MILLISECONDS));
    }
  }

  private static MarketTrade trade(SymbolId symbol, int id) {
    return new MarketTrade(symbol, new Trade(String.valueOf(id), id, BigDecimal.ONE, BigDecimal.ONE, Side.BUY));
  }

  private static TradeRouter.Settings settings(int maxSlice, Duration linger, int maxWaiting) {
    return settings(maxSlice, linger, maxWaiting, BREAKER);
  }

  private static TradeRouter.Settings settings(int maxSlice, Duration linger, int maxWaiting, SymbolBreaker.Settings breaker) {
    return new TradeRouter.Settings(maxSlice, linger, maxWaiting, Duration.ofSeconds(1), breaker, Duration.ofMillis(50), Duration.ZERO);
  }

  private record Running(TestPublisher.Probe<MarketTrade> source, TestSubscriber.Probe<Done> sink) {}

  private static Running run(ManualTraders traders, TradeRouter.Settings settings, TestProbe<TradeRouter.Report> reports) {
    Pair<TestPublisher.Probe<MarketTrade>, TestSubscriber.Probe<Done>> pair =
        TestSource.<MarketTrade>probe(testKit.system().classicSystem())
            .via(TradeRouter.create(traders, settings, report -> reports.getRef().tell(report)))
            .toMat(TestSink.probe(testKit.system().classicSystem()), Keep.both())
            .run(testKit.system());
    pair.second().request(1_000);
    return new Running(pair.first(), pair.second());
  }

  private static TradeRouter.SymbolDelivery delivery(TradeRouter.Report report, SymbolId symbol) {
    return report.symbols().stream().filter(d -> d.symbol().equals(symbol)).findFirst().orElseThrow();
  }

  @Test
  void asksEachSymbolOneSliceAtATimeAndTheTradesThatWaitedFormItsNextSlice() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(3, Duration.ZERO, 100), testKit.createTestProbe());

    r.source().sendNext(trade(BTC, 1)).sendNext(trade(ETH, 1));
    Offer btc1 = traders.next();
    Offer eth1 = traders.next();
    r.source().sendNext(trade(BTC, 2)).sendNext(trade(BTC, 3)).sendNext(trade(BTC, 4)).sendNext(trade(BTC, 5));
    traders.expectNoOffer();
    btc1.answer().complete(Done.getInstance());
    Offer btc2 = traders.next();
    btc2.answer().complete(Done.getInstance());
    Offer btc3 = traders.next();

    assertEquals(List.of("1"), btc1.ids());
    assertEquals(List.of("1"), eth1.ids());
    assertEquals(BTC, btc2.symbol());
    assertEquals(List.of("2", "3", "4"), btc2.ids(), "at most 3 per slice, oldest first");
    assertEquals(List.of("5"), btc3.ids());
  }

  @Test
  void aSymbolThatDoesNotAnswerHoldsUpNoOtherSymbol() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(10, Duration.ZERO, 1_000), testKit.createTestProbe());

    r.source().sendNext(trade(BTC, 1));
    Offer stuck = traders.next();
    int delivered = 0;
    for (int i = 1; i <= 200; i++) {
      r.source().sendNext(trade(ETH, i));
      if (i % 3 == 0) {
        r.source().sendNext(trade(BTC, 1 + i / 3));
      }
      Offer eth = traders.next();
      assertEquals(ETH, eth.symbol(), "only ETH is asked while BTC's slice is out");
      delivered += eth.trades().size();
      eth.answer().complete(Done.getInstance());
    }

    assertEquals(200, delivered);
    assertEquals(List.of("1"), stuck.ids());
    assertTrue(!stuck.answer().isDone());
  }

  @Test
  void aSymbolWhoseLaneIsFullStopsTheStreamUntilItAnswers() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(2, Duration.ZERO, 4), testKit.createTestProbe());

    r.source().sendNext(trade(BTC, 1));
    Offer first = traders.next();
    for (int i = 2; i <= 5; i++) {
      r.source().sendNext(trade(BTC, i));
    }
    r.source().sendNext(trade(ETH, 1));
    traders.expectNoOffer();
    first.answer().complete(Done.getInstance());
    Offer second = traders.next();
    Offer third = traders.next();

    assertEquals(List.of("2", "3"), second.ids(), "4 trades waited behind the slice in flight; the lane is full");
    assertEquals(ETH, third.symbol(), "ETH was not even pulled until BTC's lane had room again");
  }

  @Test
  void aSliceThatTimesOutOpensTheBreakerAndTheSymbolsTradesAreShedWithoutAsking() throws Exception {
    ManualTraders traders = new ManualTraders();
    TestProbe<TradeRouter.Report> reports = testKit.createTestProbe();
    SymbolBreaker.Settings longCoolOff = new SymbolBreaker.Settings(Duration.ofSeconds(60), Duration.ofSeconds(60), 2);
    Running r = run(traders, settings(10, Duration.ZERO, 1_000, longCoolOff), reports);

    r.source().sendNext(trade(BTC, 1));
    Offer stuck = traders.next();
    r.source().sendNext(trade(BTC, 2)).sendNext(trade(BTC, 3));
    stuck.answer().completeExceptionally(new TimeoutException("ask timed out"));
    TradeRouter.Report opened =
        reports.fishForMessage(WAIT, rep -> delivery(rep, BTC).opened() == 1
            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0);
    for (int i = 4; i < 14; i++) {
      r.source().sendNext(trade(BTC, i));
    }
    r.source().sendNext(trade(ETH, 1));
    Offer eth = traders.next();

    assertEquals(SymbolBreaker.Phase.OPEN, delivery(opened, BTC).breaker());
    assertEquals(1, delivery(opened, BTC).timedOut());
    assertEquals(2, delivery(opened, BTC).shed(), "the two that waited behind the failed slice");
    assertEquals(ETH, eth.symbol(), "BTC was not asked while open");
    eth.answer().complete(Done.getInstance());
    reports.awaitAssert(WAIT, () -> {
      TradeRouter.Report last = reports.receiveMessage(WAIT);
      assertEquals(12, delivery(last, BTC).shed());
      assertEquals(1, delivery(last, ETH).delivered());
      return null;
    });
  }

  @Test
  void afterTheCoolOffOneTradeGoesOutAsAProbeAndItsAcknowledgementClosesTheBreaker() throws Exception {
    ManualTraders traders = new ManualTraders();
    TestProbe<TradeRouter.Report> reports = testKit.createTestProbe();
    Running r = run(traders, settings(10, Duration.ZERO, 1_000), reports);
    r.source().sendNext(trade(BTC, 1));
    traders.next().answer().completeExceptionally(new TimeoutException("ask timed out"));
    awaitPhase(reports, BTC, SymbolBreaker.Phase.OPEN);

    Offer probe = null;
    int id = 2;
    while (probe == null) {
      r.source().sendNext(trade(BTC, id++));
      probe = traders.offers.poll(20, TimeUnit.MILLISECONDS);
    }
    r.source().sendNext(trade(BTC, id++)).sendNext(trade(BTC, id++));
    traders.expectNoOffer();
    probe.answer().complete(Done.getInstance());
    reports.fishForMessage(
        WAIT,
        rep -> delivery(rep, BTC).breaker() == SymbolBreaker.Phase.CLOSED && delivery(rep, BTC).delivered() == 1
            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    r.source().sendNext(trade(BTC, 1_000));
    Offer after = traders.next();

    assertEquals(1, probe.trades().size(), "the probe is one trade");
    assertEquals(List.of("1000"), after.ids(), "closed again: trades are asked for");
  }

  @Test
  void aFailedProbeReopensTheBreakerForLonger() throws Exception {
    ManualTraders traders = new ManualTraders();
    TestProbe<TradeRouter.Report> reports = testKit.createTestProbe();
    Running r = run(traders, settings(10, Duration.ZERO, 1_000), reports);
    r.source().sendNext(trade(BTC, 1));
    traders.next().answer().completeExceptionally(new TimeoutException("ask timed out"));

    Offer probe = null;
    int id = 2;
    while (probe == null) {
      r.source().sendNext(trade(BTC, id++));
      probe = traders.offers.poll(10, TimeUnit.MILLISECONDS);
    }
    probe.answer().completeExceptionally(new TimeoutException("probe timed out"));
    TradeRouter.Report reopened = awaitOpened(reports, BTC, 2);

    assertEquals(1, probe.trades().size());
    assertEquals(SymbolBreaker.Phase.OPEN, delivery(reopened, BTC).breaker());
    assertEquals(2, delivery(reopened, BTC).timedOut(), "the first slice and the probe");
  }

  @Test
  void aTradeWaitsAtMostTheLingerForItsSlice() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(100, Duration.ofSeconds(2), 1_000), testKit.createTestProbe());

    r.source().sendNext(trade(BTC, 1)).sendNext(trade(BTC, 2));
    Offer slice = traders.next();

    assertEquals(List.of("1", "2"), slice.ids(), "both went out together once the linger was over");
  }

  @Test
  void aTradeAfterAQuietSpellLongerThanTheLingerGoesOutAtOnce() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(100, Duration.ofMillis(200), 1_000), testKit.createTestProbe());
    r.source().sendNext(trade(BTC, 1));
    traders.next().answer().complete(Done.getInstance());

    Thread.sleep(400);
    r.source().sendNext(trade(BTC, 2)).sendNext(trade(BTC, 3));
    Offer alone = traders.next();
    alone.answer().complete(Done.getInstance());
    Offer next = traders.next();

    assertEquals(List.of("2"), alone.ids(), "after 400 ms without a trade the next one did not wait for company");
    assertEquals(List.of("3"), next.ids(), "the trade right behind it waited for the answer, in a slice of its own");
  }

  @Test
  void aTradeThatFindsItsSliceInFlightGoesOutWithTheAnswerNotAfterTheLinger() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(2, Duration.ofSeconds(30), 1_000), testKit.createTestProbe());
    r.source().sendNext(trade(BTC, 1)).sendNext(trade(BTC, 2));
    Offer full = traders.next();

    r.source().sendNext(trade(BTC, 3));
    traders.expectNoOffer();
    full.answer().complete(Done.getInstance());
    Offer next = traders.next();

    assertEquals(List.of("1", "2"), full.ids(), "a full slice goes out at once");
    assertEquals(List.of("3"), next.ids(), "sent by the answer, long before its 30 s linger");
  }

  @Test
  void aFullSliceGoesOutWithoutWaitingForTheLinger() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(3, Duration.ofSeconds(30), 1_000), testKit.createTestProbe());

    r.source().sendNext(trade(BTC, 1)).sendNext(trade(BTC, 2)).sendNext(trade(BTC, 3));
    Offer slice = traders.next();

    assertEquals(List.of("1", "2", "3"), slice.ids());
  }

  @Test
  void completesAfterTheLastWaitingTradesWereAskedForAndAnswered() throws Exception {
    ManualTraders traders = new ManualTraders();
    Running r = run(traders, settings(10, Duration.ofSeconds(30), 1_000), testKit.createTestProbe());

    r.source().sendNext(trade(BTC, 1)).sendNext(trade(ETH, 1)).sendComplete();
    Offer a = traders.next();
    Offer b = traders.next();
    a.answer().complete(Done.getInstance());
    r.sink().expectNext(Done.getInstance());
    b.answer().completeExceptionally(new TimeoutException("ask timed out"));
    r.sink().expectNext(Done.getInstance());

    r.sink().expectComplete();
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> settings(10, Duration.ZERO, 5));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> settings(0, Duration.ZERO, 5));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new TradeRouter.Settings(1, Duration.ZERO, 1, Duration.ZERO, BREAKER, Duration.ofSeconds(1), Duration.ZERO));
    assertEquals(2048, io.pekkotrader.engine.Settings.shipped().market().router().maxWaitingPerSymbol());
  }

  private static void awaitPhase(TestProbe<TradeRouter.Report> reports, SymbolId symbol, SymbolBreaker.Phase phase) {
    reports.fishForMessage(
        WAIT,
        rep -> rep.symbols().stream().anyMatch(d -> d.symbol().equals(symbol) && d.breaker() == phase)
            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  private static TradeRouter.Report awaitOpened(TestProbe<TradeRouter.Report> reports, SymbolId symbol, long opened) {
    List<TradeRouter.Report> seen =
        reports.fishForMessage(
            WAIT,
            rep -> rep.symbols().stream().anyMatch(d -> d.symbol().equals(symbol) && d.opened() == opened)
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    return seen.get(seen.size() - 1);
  }
}
