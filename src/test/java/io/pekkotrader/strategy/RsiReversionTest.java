package io.pekkotrader.strategy;

import static io.pekkotrader.domain.TestData.candlesClosingAt;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Signal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RsiReversionTest {
  /** RSI over 3 candles, enter below 30, exit above 70, stop 5 % below the entry. */
  private static final RsiReversion STRATEGY = new RsiReversion(3, 30, 70, dec("0.05"));

  @Test
  void computesWildersRsiAsTa4jSeedsIt() {
    // period 2, closes 10, 11, 10.5, 12: gains 0, 1, 0, 1.5 and losses 0, 0, 0.5, 0, smoothed from
    // the first candle by avg += (x − avg) / 2: gains 0, 0.5, 0.25, 0.875; losses 0, 0, 0.25, 0.125.
    RsiReversion two = new RsiReversion(2, 30, 70, dec("0.05"));
    assertEquals(50.0, two.rsi(candlesClosingAt("10", "11", "10.5")), 1e-9, "RS = 0.25 / 0.25 = 1");
    assertEquals(87.5, two.rsi(candlesClosingAt("10", "11", "10.5", "12")), 1e-9, "RS = 0.875 / 0.125 = 7");
  }

  /**
   * Ten candles alternating 100 / 101 hold the RSI between 40 and about 68; six falling candles take
   * it to 26.5 on the first close below 100 (99, index 11): entry there. Rising again, it passes 70
   * on the close of 98 at index 18 (about 72.0): exit there. The lowest close, 95, stays above the
   * stop at 99 × 0.95 = 94.05.
   */
  @Test
  void entersWhenTheRsiFallsBelowOversoldAndExitsWhenItRisesAboveOverbought() {
    List<Candle> series =
        candlesClosingAt(
            "100", "101", "100", "101", "100", "101", "100", "101", "100", "101",
            "100", "99", "98", "97", "96", "95",
            "96", "97", "98", "99", "100");

    List<String> signals = walk(STRATEGY, series);

    assertEquals(List.of("ENTER_LONG@11", "EXIT@18"), signals);
  }

  @Test
  void holdsUntilPeriodPlusOneCandles() {
    assertEquals(4, STRATEGY.requiredCandles());
    Signal early = STRATEGY.evaluate(candlesClosingAt("100", "99", "98"), Position.FLAT);
    assertEquals(Signal.Action.HOLD, early.action());
    assertEquals("warming up: 3 of 4 candles", early.reason());
  }

  @Test
  void exitsAtTheStopWhateverTheRsi() {
    // falling closes keep the RSI near 0, far from overbought: only the stop can exit
    Signal signal = STRATEGY.evaluate(candlesClosingAt("100", "99", "97", "96", "95"), position("1", "100"));
    assertEquals(Signal.Action.EXIT, signal.action());
    assertTrue(signal.reason().equals("stop loss: close 95 <= 95"), signal.reason());
    assertEquals(0, dec("95.00").compareTo(STRATEGY.stopPrice(dec("100"))));
  }

  @Test
  void refusesOversoldNotBelowOverbought() {
    InvalidStrategyParameter e = assertThrows(InvalidStrategyParameter.class, () -> new RsiReversion(14, 70, 30, BigDecimal.ONE.movePointLeft(2)));
    assertEquals("overbought", e.parameter());
  }

  /**
   * Evaluates every prefix of {@code series} as the engine would, entering at the close of the
   * candle that signalled and leaving when the strategy says so; the signals as ACTION@index.
   */
  static List<String> walk(io.pekkotrader.domain.Strategy strategy, List<Candle> series) {
    List<String> signals = new ArrayList<>();
    Position position = Position.FLAT;
    for (int i = 1; i <= series.size(); i++) {
      List<Candle> seen = series.subList(0, i);
      Signal signal = strategy.evaluate(seen, position);
      if (signal.action() == Signal.Action.HOLD) {
        continue;
      }
      signals.add(signal.action() + "@" + (i - 1));
      position = signal.action() == Signal.Action.ENTER_LONG ? Position.of(BigDecimal.ONE, seen.get(i - 1).close()) : Position.FLAT;
    }
    return signals;
  }
}
