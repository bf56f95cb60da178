package io.pekkotrader.strategy;

import static io.pekkotrader.domain.TestData.candlesClosingAt;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.CandleAggregator;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Signal;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MovingAverageCrossoverTest {
  /** fast 2, slow 4, volatility over 4 returns at least 1%, stop 5% below, target 10% above. */
  private static final MovingAverageCrossover STRATEGY =
      new MovingAverageCrossover(new MovingAverageCrossover.Params(2, 4, 4, 0.01, dec("0.05"), dec("0.10")));

  /**
   * Before the last candle: fast (100+94)/2 = 97 <= slow (100+96+100+94)/4 = 97.5; on it: fast
   * (94+104)/2 = 99 > slow (96+100+94+104)/4 = 98.5. Log returns −4.1%, +4.1%, −6.2%, +10.1%.
   */
  private static final List<Candle> CROSSING_UP = candlesClosingAt("100", "96", "100", "94", "104");

  /** The same crossover with every move a hundred times smaller: volatility about 0.06%. */
  private static final List<Candle> CROSSING_UP_QUIETLY = candlesClosingAt("100", "99.96", "100", "99.94", "100.04");

  /** Before: fast (100+106)/2 = 103 >= slow 102.5; on it: fast (106+96)/2 = 101 < slow 101.5. */
  private static final List<Candle> CROSSING_DOWN = candlesClosingAt("100", "104", "100", "106", "96");

  private static final Position HOLDING_AT_100 = position("1", "100");

  private static MovingAverageCrossover.Params params(int fast, int slow, int window, double minVol, String stop, String target) {
    return new MovingAverageCrossover.Params(fast, slow, window, minVol, dec(stop), dec(target));
  }

  @Test
  void needsSlowPlusOneCandlesAndIsNamedMaCrossover() {
    assertEquals(5, STRATEGY.requiredCandles());
    assertEquals(7, new MovingAverageCrossover(params(2, 4, 6, 0, "0.05", "0.1")).requiredCandles());
    assertEquals("ma-crossover", STRATEGY.name());
  }

  @Test
  void entersLongOnACrossoverUpWithEnoughVolatility() {
    Signal signal = STRATEGY.evaluate(CROSSING_UP, Position.FLAT);

    assertEquals(Signal.Action.ENTER_LONG, signal.action());
    assertTrue(signal.reason().contains("crossed above"), signal.reason());
  }

  @Test
  void holdsOnTheSameCrossoverInAQuietMarket() {
    Signal signal = STRATEGY.evaluate(CROSSING_UP_QUIETLY, Position.FLAT);

    assertEquals(Signal.Action.HOLD, signal.action());
    assertTrue(signal.reason().contains("volatility"), signal.reason());
  }

  @Test
  void holdsWhileWarmingUp() {
    Signal signal = STRATEGY.evaluate(CROSSING_UP.subList(1, 5), Position.FLAT);

    assertEquals(Signal.Action.HOLD, signal.action());
    assertTrue(signal.reason().startsWith("warming up"), signal.reason());
    assertTrue(signal.reason().contains("4 of 5"), signal.reason());
  }

  @Test
  void holdsWithNoCandles() {
    Signal signal = STRATEGY.evaluate(List.of(), Position.FLAT);

    assertEquals(Signal.Action.HOLD, signal.action());
  }

  @Test
  void holdsWhenFlatAndTheAveragesCrossDown() {
    Signal signal = STRATEGY.evaluate(CROSSING_DOWN, Position.FLAT);

    assertEquals(Signal.Action.HOLD, signal.action());
    assertEquals("no crossover", signal.reason());
  }

  @Test
  void exitsAtExactlyTheStopPrice() {
    // 100 × (1 − 0.05) = 95
    Signal signal = STRATEGY.evaluate(candlesClosingAt("95.00"), HOLDING_AT_100);

    assertEquals(Signal.Action.EXIT, signal.action());
    assertTrue(signal.reason().startsWith("stop loss"), signal.reason());
  }

  @Test
  void doesNotStopOutOneCentAboveTheStopPrice() {
    Signal signal = STRATEGY.evaluate(candlesClosingAt("95.01"), HOLDING_AT_100);

    assertEquals(Signal.Action.HOLD, signal.action());
  }

  @Test
  void takesProfitAtExactlyTheTarget() {
    // 100 × (1 + 0.10) = 110
    Signal atTarget = STRATEGY.evaluate(candlesClosingAt("110"), HOLDING_AT_100);
    Signal justBelow = STRATEGY.evaluate(candlesClosingAt("109.99"), HOLDING_AT_100);

    assertEquals(Signal.Action.EXIT, atTarget.action());
    assertTrue(atTarget.reason().startsWith("take profit"), atTarget.reason());
    assertEquals(Signal.Action.HOLD, justBelow.action());
  }

  @Test
  void exitsWhenTheFastAverageCrossesBelowTheSlowOne() {
    Signal signal = STRATEGY.evaluate(CROSSING_DOWN, HOLDING_AT_100);

    assertEquals(Signal.Action.EXIT, signal.action());
    assertEquals("fast MA crossed below slow MA", signal.reason());
  }

  @Test
  void keepsHoldingOnACrossoverUpWhileInPosition() {
    Signal signal = STRATEGY.evaluate(CROSSING_UP, HOLDING_AT_100);

    assertEquals(Signal.Action.HOLD, signal.action());
    assertEquals("holding", signal.reason());
  }

  @Test
  void rejectsAFastAverageNotShorterThanTheSlowOne() {
    IllegalArgumentException equal = assertThrows(IllegalArgumentException.class, () -> params(4, 4, 4, 0, "0.05", "0.1"));
    IllegalArgumentException longer = assertThrows(IllegalArgumentException.class, () -> params(5, 4, 4, 0, "0.05", "0.1"));
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> params(0, 4, 4, 0, "0.05", "0.1"));

    assertTrue(equal.getMessage().contains("fast=4 slow=4"), equal.getMessage());
    assertTrue(longer.getMessage().contains("fast < slow"), longer.getMessage());
    assertTrue(zero.getMessage().contains("fast=0"), zero.getMessage());
  }

  @Test
  void rejectsAVolatilityWindowBelowTwoAndANegativeMinimum() {
    IllegalArgumentException window = assertThrows(IllegalArgumentException.class, () -> params(2, 4, 1, 0, "0.05", "0.1"));
    IllegalArgumentException minimum =
        assertThrows(IllegalArgumentException.class, () -> params(2, 4, 4, -0.01, "0.05", "0.1"));

    assertTrue(window.getMessage().contains("volatility window"), window.getMessage());
    assertTrue(minimum.getMessage().contains("min volatility"), minimum.getMessage());
  }

  @Test
  void rejectsAStopLossOutsideZeroToOne() {
    for (String stop : List.of("0", "1", "1.5", "-0.05")) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> params(2, 4, 4, 0, stop, "0.1"));
      assertTrue(error.getMessage().contains("stop loss must be in (0, 1), got " + stop), error.getMessage());
    }
    assertEquals(new BigDecimal("0.99"), params(2, 4, 4, 0, "0.99", "0.1").stopLoss());
  }

  @Test
  void rejectsATakeProfitThatIsNotPositive() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> params(2, 4, 4, 0, "0.05", "0"));

    assertTrue(error.getMessage().contains("take profit"), error.getMessage());
  }

  @Test
  void decidesTheSameFromTheAggregatorsOwnHistoryAsFromAPlainListOfItsCandles() {
    MovingAverageCrossover strategy = new MovingAverageCrossover(params(3, 8, 8, 0.0001, "0.004", "0.006"));
    CandleAggregator aggregator = new CandleAggregator(1_000, 50);
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    long cents = 5_000_000;
    int entries = 0;
    for (int i = 0; i < 20_000; i++) {
      cents = Math.max(100, cents + random.nextInt(4_001) - 2_000);
      Trade trade = new Trade("t" + i, 1_700_000_000_000L + i * 100L, BigDecimal.valueOf(cents * 1_000_000L, 8), dec("0.5"), Side.BUY);
      if (aggregator.onTrade(trade).isEmpty()) {
        continue;
      }
      CandleAggregator.History history = aggregator.history();
      List<Candle> copied = List.copyOf(history);
      Position holding = position("1", history.get(history.size() - 1).close().add(BigDecimal.valueOf(i % 3 - 1)).toPlainString());
      for (Position position : List.of(Position.FLAT, holding)) {
        assertEquals(strategy.evaluate(copied, position), strategy.evaluate(history, position), "candle " + history.size() + " at trade " + i);
      }
      entries += strategy.evaluate(history, Position.FLAT).action() == Signal.Action.ENTER_LONG ? 1 : 0;
    }
    assertTrue(entries > 10, "the walk crosses over now and then: " + entries);
  }
}
