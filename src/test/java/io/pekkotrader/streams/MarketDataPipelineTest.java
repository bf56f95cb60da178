package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MarketDataPipelineTest {
  private static final ActorTestKit testKit = ActorTestKit.create("pipeline-test", StreamTests.config());
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final StreamSettings FAST =
      StreamSettings.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 0.2);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static MarketTrade trade(int n) {
    return new MarketTrade(BTC, new Trade(String.valueOf(n), n, BigDecimal.ONE, BigDecimal.ONE, Side.BUY));
  }

  private static Flow<MarketTrade, Done, NotUsed> into(TestProbe<MarketTrade> delivered) {
    return Flow.<MarketTrade>create().map(t -> {
      delivered.getRef().tell(t);
      return Done.getInstance();
    });
  }

  private static UniqueKillSwitch start(
      java.util.function.Supplier<Source<MarketTrade, ?>> connect,
      Flow<MarketTrade, Done, NotUsed> router,
      StreamSettings settings,
      TestProbe<StreamEvent> events) {
    return MarketDataPipeline.start(
        connect, router, settings, events.getRef(), Clock.systemUTC(), Materializer.createMaterializer(testKit.system()));
  }

  @Test
  void reconnectsAfterAFailedConnectionAndDeliversTheNextConnectionsTrades() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    TestProbe<MarketTrade> delivered = testKit.createTestProbe();
    AtomicInteger connections = new AtomicInteger();

    UniqueKillSwitch stop =
        start(
            () ->
                connections.incrementAndGet() == 1
                    ? Source.<MarketTrade>failed(new IllegalStateException("connection refused"))
                    : Source.from(List.of(trade(1), trade(2))).concat(Source.never()),
            into(delivered),
            FAST,
            events);

    StreamEvent.Connecting first = events.expectMessageClass(StreamEvent.Connecting.class, WAIT);
    assertEquals(1, first.attempt());
    assertEquals(1, first.attemptsInWindow());
    assertEquals(300, first.budget());
    assertTrue(events.expectMessageClass(StreamEvent.Disconnected.class, WAIT).reason().contains("connection refused"));
    assertEquals(2, events.expectMessageClass(StreamEvent.Connecting.class, WAIT).attempt());
    assertEquals(trade(1), delivered.receiveMessage(WAIT));
    assertEquals(trade(2), delivered.receiveMessage(WAIT));

    stop.shutdown();
    List<StreamEvent> rest = new ArrayList<>();
    events.fishForMessage(WAIT, e -> {
      rest.add(e);
      return e instanceof StreamEvent.Stopped ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore();
    });
    assertNull(((StreamEvent.Stopped) rest.get(rest.size() - 1)).failure(), "a requested stop is not a failure");
  }

  @Test
  void aConnectionThatFailsDuringABacklogStillHandsOnEveryTradeItDecoded() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    TestProbe<MarketTrade> delivered = testKit.createTestProbe();
    AtomicInteger connections = new AtomicInteger();
    // a slow router: the connection's 2,000 trades pile up in the pipeline's batch before it fails
    Flow<MarketTrade, Done, NotUsed> slow =
        Flow.<MarketTrade>create()
            .throttle(1_000, Duration.ofSeconds(1))
            .map(
                t -> {
                  delivered.getRef().tell(t);
                  return Done.getInstance();
                });

    UniqueKillSwitch stop =
        start(
            () ->
                connections.incrementAndGet() == 1
                    ? Source.range(1, 2_001)
                        .map(
                            n -> {
                              // pulled only once the 2,000 trades are out: the connection resets behind them
                              if (n > 2_000) {
                                throw new IllegalStateException("reset by peer");
                              }
                              return trade(n);
                            })
                    : Source.never(),
            slow,
            FAST,
            events);

    for (int n = 1; n <= 2_000; n++) {
      assertEquals(String.valueOf(n), delivered.expectMessageClass(MarketTrade.class, WAIT).trade().tradeId(), "trade " + n);
    }
    stop.shutdown();
  }

  @Test
  void dropsTradesAlreadyDeliveredBeforeAReconnect() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    TestProbe<MarketTrade> delivered = testKit.createTestProbe();
    AtomicInteger connections = new AtomicInteger();

    UniqueKillSwitch stop =
        start(
            () ->
                connections.incrementAndGet() == 1
                    ? Source.from(List.of(trade(1), trade(2), trade(3)))
                    : Source.from(List.of(trade(2), trade(3), trade(4))).concat(Source.never()),
            into(delivered),
            FAST,
            events);

    assertEquals(List.of(trade(1), trade(2), trade(3), trade(4)), delivered.receiveSeveralMessages(4, WAIT));
    delivered.expectNoMessage(Duration.ofMillis(200));
    long dropped = 0;
    while (dropped < 2) {
      StreamEvent event = events.receiveMessage(WAIT);
      if (event instanceof StreamEvent.DuplicatesDropped d) {
        dropped += d.count();
      }
    }
    assertEquals(2, dropped);
    stop.shutdown();
  }

  @Test
  void neverExceedsTheConnectionBudgetAndWaitsForTheWindowInsteadOfGivingUp() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    StreamSettings tight = FAST.withBudget(3, Duration.ofMillis(800));

    UniqueKillSwitch stop =
        start(() -> Source.<MarketTrade>failed(new IllegalStateException("refused")), into(testKit.createTestProbe()), tight, events);

    List<Long> attempts = new ArrayList<>();
    int budgetWaits = 0;
    while (attempts.size() < 10) {
      StreamEvent event = events.receiveMessage(Duration.ofSeconds(10));
      if (event instanceof StreamEvent.Connecting connecting) {
        attempts.add(connecting.atMs());
        assertTrue(connecting.attemptsInWindow() <= 3, "attempts in the window: " + connecting.attemptsInWindow());
      } else if (event instanceof StreamEvent.BudgetExhausted) {
        budgetWaits++;
      }
    }
    stop.shutdown();

    for (int i = 3; i < attempts.size(); i++) {
      long span = attempts.get(i) - attempts.get(i - 3);
      assertTrue(span >= 800, "4 attempts within one 800 ms window: " + attempts);
    }
    assertTrue(budgetWaits >= 2, "the budget ran out and the stream waited: " + budgetWaits);
  }

  @Test
  void aConnectSupplierThatThrowsIsTreatedAsAFailedConnection() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    TestProbe<MarketTrade> delivered = testKit.createTestProbe();
    AtomicInteger connections = new AtomicInteger();

    UniqueKillSwitch stop =
        start(
            () -> {
              if (connections.incrementAndGet() == 1) {
                throw new IllegalArgumentException("bad URL");
              }
              return Source.single(trade(9)).concat(Source.never());
            },
            into(delivered),
            FAST,
            events);

    assertEquals(trade(9), delivered.receiveMessage(WAIT));
    stop.shutdown();
  }
}
