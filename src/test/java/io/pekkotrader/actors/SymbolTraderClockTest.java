package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Signal;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.execution.OrderGateway;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A symbol's candle clock ticks at the candle boundaries of its clock, not at intervals from when it started. */
class SymbolTraderClockTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create("symbol-clock", ManualTime.config().withFallback(ActorTests.config()));
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static final Strategy HOLD =
      new Strategy() {
        @Override
        public String name() {
          return "hold";
        }

        @Override
        public int requiredCandles() {
          return 100;
        }

        @Override
        public BigDecimal stopPrice(BigDecimal entryPrice) {
          return entryPrice;
        }

        @Override
        public Signal evaluate(List<Candle> candles, Position position) {
          return Signal.hold("hold");
        }
      };

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @Test
  void closesACandleWithoutATradeAtItsEnd() {
    TestProbe<Portfolio.Command> portfolio = testKit.createTestProbe();
    TestProbe<Done> acks = testKit.createTestProbe();
    TestProbe<SymbolTrader.SymbolView> views = testKit.createTestProbe();
    // started 400 ms into a one-second candle
    ActorTests.ManualClock clock = new ActorTests.ManualClock(10_400);
    SymbolId symbol = SymbolId.parse("sim:CLOCKUSDT");
    SymbolTrader.Dependencies deps =
        new SymbolTrader.Dependencies(
            HOLD, new TradingDecisions.Params(new BigDecimal("1000"), new BigDecimal("0.001"), 3_000), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 100, Duration.ofSeconds(2), 100, 2, testKit.<RiskManager.Command>createTestProbe().getRef(),
            portfolio.getRef(), testKit.<OrderGateway.Command>createTestProbe().getRef(),
            testKit.<Notifier.Command>createTestProbe().getRef(),
            testKit.<Topic.Command<RiskManager.KillSwitchStatus>>createTestProbe().getRef(), clock, null);
    ActorRef<SymbolTrader.Command> trader = testKit.spawn(SymbolTrader.create(symbol, s -> deps));
    trader.tell(new SymbolTrader.OnTrades(List.of(new Trade("c1", 10_400, new BigDecimal("42"), BigDecimal.ONE, Side.BUY)), acks.getRef()));
    acks.expectMessage(WAIT, Done.getInstance());
    trader.tell(new SymbolTrader.GetSymbol(views.getRef()));
    views.receiveMessage(WAIT);
    portfolio.expectMessageClass(Portfolio.SyncSymbol.class, WAIT); // on recovery

    // 999 ms after the start, 1 ms before the candle's end: nothing closed yet
    clock.set(10_999);
    manualTime.timePasses(Duration.ofMillis(599));
    portfolio.expectNoMessage(Duration.ofMillis(200));

    // at the candle's end, 600 ms after the start (a timer from the start would tick at 11,400)
    clock.set(11_000);
    manualTime.timePasses(Duration.ofMillis(1));
    assertEquals(new Portfolio.MarkPrice(symbol, new BigDecimal("42")), portfolio.expectMessageClass(Portfolio.MarkPrice.class, WAIT));

    // the next candle has no trade: it closes at its end all the same (forward-filled at 42)
    clock.set(11_999);
    manualTime.timePasses(Duration.ofMillis(999));
    portfolio.expectNoMessage(Duration.ofMillis(200));
    clock.set(12_000);
    manualTime.timePasses(Duration.ofMillis(1));
    assertEquals(new Portfolio.MarkPrice(symbol, new BigDecimal("42")), portfolio.expectMessageClass(Portfolio.MarkPrice.class, WAIT));
  }
}
