package io.pekkotrader.strategy;

import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolatilityBreakoutTest {
  /**
   * Five busy rising candles (range 4, volume 10, closes 100 → 108), then a quiet one (range 0.5,
   * volume 2, close 108.2). On the quiet candle, with lookback 4, ATR over 3 and growth over 3:
   * <ul>
   *   <li>volume 2 <= 0.5 × mean 10;
   *   <li>range 0.5 <= 0.5 × mean 4;
   *   <li>true ranges 4, 4, 4, 4, 4, 0.5: ATR = 4 + (0.5 − 4) / 3 = 2.8333, NATR = 2.8333 / 108.2 ×
   *       100 = 2.619 % >= 1;
   *   <li>growth 108.2 / 104 − 1 = 4.04 % >= 1 %.
   * </ul>
   */
  private static final List<Candle> SETUP =
      List.of(
          candle(0, "100", "102", "98", "100", "10"),
          candle(1, "100", "103", "99", "102", "10"),
          candle(2, "102", "105", "101", "104", "10"),
          candle(3, "104", "107", "103", "106", "10"),
          candle(4, "106", "109", "105", "108", "10"),
          candle(5, "108", "108.5", "108", "108.2", "2"));

  private static Candle candle(int index, String open, String high, String low, String close, String volume) {
    return new Candle(index * 10_000L, dec(open), dec(high), dec(low), dec(close), dec(volume), 5);
  }

  private static Map<String, String> params(String... overrides) {
    Map<String, String> params =
        new java.util.HashMap<>(
            Map.of(
                "lookback", "4",
                "volume-factor", "0.5",
                "range-factor", "0.5",
                "atr-period", "3",
                "natr-min", "1",
                "growth-lookback", "3",
                "growth-min", "0.01",
                "stop-loss", "0.005",
                "take-profit", "0.01"));
    for (int i = 0; i < overrides.length; i += 2) {
      params.put(overrides[i], overrides[i + 1]);
    }
    return params;
  }

  private static VolatilityBreakout strategy(String... overrides) {
    return (VolatilityBreakout) Strategies.create(VolatilityBreakout.NAME, params(overrides));
  }

  private static List<Candle> withLast(Candle last) {
    List<Candle> candles = new ArrayList<>(SETUP.subList(0, 5));
    candles.add(last);
    return candles;
  }

  @Test
  void entersOnTheQuietCandleOfAVolatileRisingMarket() {
    VolatilityBreakout strategy = strategy();
    assertEquals(5, strategy.requiredCandles(), "max(lookback 4, atr-period 3) + 1");

    assertEquals(List.of("ENTER_LONG@5"), RsiReversionTest.walk(strategy, SETUP));
    Signal signal = strategy.evaluate(SETUP, Position.FLAT);
    assertEquals(
        "breakout setup: volume 2.0000 <= 0.5 * mean 10.0000, range 0.5000 <= 0.5 * mean 4.0000,"
            + " NATR 2.6186 >= 1.0, growth 0.0404 >= 0.01",
        signal.reason());
  }

  @Test
  void holdsWhenAnyOneFilterFails() {
    Candle loud = candle(5, "108", "108.5", "108", "108.2", "6");
    Candle wide = candle(5, "108", "110", "107.9", "108.2", "2");
    assertHold(strategy(), withLast(loud), "no setup: volume 6.0000 > 0.5 * mean 10.0000");
    assertHold(strategy(), withLast(wide), "no setup: range 2.1000 > 0.5 * mean 4.0000");
    assertHold(strategy("natr-min", "3"), SETUP, "no setup: NATR 2.6186 < 3.0");
    assertHold(strategy("growth-min", "0.05"), SETUP, "no setup: growth 0.0404 < 0.05");
  }

  private static void assertHold(VolatilityBreakout strategy, List<Candle> candles, String reason) {
    Signal signal = strategy.evaluate(candles, Position.FLAT);
    assertEquals(Signal.Action.HOLD, signal.action());
    assertEquals(reason, signal.reason());
  }

  @Test
  void holdsThroughTheWarmUp() {
    Signal signal = strategy().evaluate(SETUP.subList(0, 4), Position.FLAT);
    assertEquals(Signal.Action.HOLD, signal.action());
    assertEquals("warming up: 4 of 5 candles", signal.reason());
  }

  @Test
  void saysSoWhenTheGrowthLookbackIsLongerThanTheWarmUpInsteadOfPassingSilently() {
    // growth over 6 candles needs 7; the warm-up is 5 and the series has 6
    VolatilityBreakout strategy = strategy("growth-lookback", "6", "growth-min", "0.5");
    assertEquals(5, strategy.requiredCandles());

    Signal signal = strategy.evaluate(SETUP, Position.FLAT);

    assertEquals(Signal.Action.ENTER_LONG, signal.action(), "the other filters pass; growth is not applied yet");
    assertTrue(
        signal.reason().endsWith("; growth lookback 6 (7 candles) exceeds warm-up 5: growth filter not applied until 7 candles (have 6)"),
        signal.reason());
    assertTrue(!signal.reason().contains("growth 0."), "no growth figure is claimed: " + signal.reason());

    // a hold in that time says so too
    Signal hold = strategy("growth-lookback", "6", "natr-min", "3").evaluate(SETUP, Position.FLAT);
    assertEquals("no setup: NATR 2.6186 < 3.0; growth lookback 6 (7 candles) exceeds warm-up 5: growth filter not applied until 7 candles (have 6)", hold.reason());
  }

  @Test
  void appliesTheLongGrowthFilterOnceThereAreEnoughCandles() {
    // one candle more before the setup: growth over 6 candles = 108.2 / 100 − 1 = 8.2 %
    List<Candle> seven = new ArrayList<>();
    seven.add(candle(-1, "100", "102", "98", "100", "10"));
    seven.addAll(SETUP);
    assertNull(strategy("growth-lookback", "6").growthNotApplied(seven.size()));

    assertHold(strategy("growth-lookback", "6", "growth-min", "0.1"), seven, "no setup: growth 0.0820 < 0.1");
    assertEquals(Signal.Action.ENTER_LONG, strategy("growth-lookback", "6", "growth-min", "0.08").evaluate(seven, Position.FLAT).action());
  }

  @Test
  void exitsAtTheStopOrTheTargetOnly() {
    VolatilityBreakout strategy = strategy();
    Position held = position("1", "108.2");
    // stop 108.2 × 0.995 = 107.659, target 108.2 × 1.01 = 109.282
    Signal target = strategy.evaluate(withLast(candle(5, "108", "109.6", "108", "109.5", "2")), held);
    Signal stop = strategy.evaluate(withLast(candle(5, "108", "108", "107", "107.6", "2")), held);
    Signal hold = strategy.evaluate(withLast(candle(5, "108", "109", "108", "109", "2")), held);

    assertEquals(new Signal(Signal.Action.EXIT, "take profit: close 109.5 >= 109.282"), target);
    assertEquals(new Signal(Signal.Action.EXIT, "stop loss: close 107.6 <= 107.6590"), stop);
    assertEquals(Signal.hold("holding"), hold);
    assertEquals(0, dec("107.659").compareTo(strategy.stopPrice(dec("108.2"))));
  }
}
