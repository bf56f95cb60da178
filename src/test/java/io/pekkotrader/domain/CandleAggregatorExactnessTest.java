package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.MINUTE_MS;
import static io.pekkotrader.domain.TestData.trade;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The aggregator keeps candles as scaled longs and columns; these check that what it gives back
 * is what folding the trades' own {@link BigDecimal}s gives, scale included, for values of any
 * size and any mix of scales, and that the {@code double} closes are {@link BigDecimal#doubleValue()}.
 */
class CandleAggregatorExactnessTest {
  private static final long T0 = 1_000 * MINUTE_MS;

  /** The plain way: fold the trades' decimals with {@code max}, {@code min} and {@code add}. */
  private static final class Reference {
    private final long interval;
    private final int capacity;
    private final List<Candle> history = new ArrayList<>();
    private Candle open;

    Reference(long interval, int capacity) {
      this.interval = interval;
      this.capacity = capacity;
    }

    List<Candle> onTrade(Trade trade) {
      long bucket = Math.floorDiv(trade.timestampMs(), interval) * interval;
      if (open == null) {
        open = first(bucket, trade);
        return List.of();
      }
      if (bucket < open.openTimeMs()) {
        return List.of();
      }
      if (bucket == open.openTimeMs()) {
        open = open.trades() == 0
            ? first(bucket, trade)
            : new Candle(bucket, open.open(), open.high().max(trade.price()), open.low().min(trade.price()), trade.price(),
                open.volume().add(trade.quantity()), open.trades() + 1);
        return List.of();
      }
      List<Candle> closed = closeUpTo(bucket);
      open = first(bucket, trade);
      return closed;
    }

    List<Candle> advanceTo(long now) {
      long bucket = Math.floorDiv(now, interval) * interval;
      if (open == null || bucket <= open.openTimeMs()) {
        return List.of();
      }
      List<Candle> closed = closeUpTo(bucket);
      open = Candle.forwardFill(bucket, open.close());
      return closed;
    }

    private List<Candle> closeUpTo(long bucket) {
      List<Candle> closed = new ArrayList<>();
      closed.add(open);
      long gaps = (bucket - open.openTimeMs()) / interval - 1;
      long firstFill = open.openTimeMs() + interval;
      if (gaps > capacity) {
        firstFill += (gaps - capacity) * interval;
        gaps = capacity;
      }
      for (long i = 0; i < gaps; i++) {
        closed.add(Candle.forwardFill(firstFill + i * interval, open.close()));
      }
      history.addAll(closed);
      return closed;
    }

    List<Candle> history() {
      return history.subList(Math.max(0, history.size() - capacity), history.size());
    }

    private static Candle first(long bucket, Trade trade) {
      return new Candle(bucket, trade.price(), trade.price(), trade.price(), trade.price(), trade.quantity(), 1);
    }
  }

  /**
   * A positive decimal of 1 to {@code maxDigits} digits and 0 to {@code maxScale} decimals; one
   * time in three a small value written with 0 to 3 extra zeros, so that equal values of
   * different scales meet.
   */
  private static BigDecimal decimal(SplittableRandom random, int maxDigits, int maxScale) {
    if (random.nextInt(3) == 0) {
      BigDecimal small = BigDecimal.valueOf(1 + random.nextInt(4), random.nextInt(2));
      return small.setScale(small.scale() + random.nextInt(4));
    }
    int digits = 1 + random.nextInt(maxDigits);
    StringBuilder text = new StringBuilder();
    text.append((char) ('1' + random.nextInt(9)));
    for (int i = 1; i < digits; i++) {
      text.append((char) ('0' + random.nextInt(10)));
    }
    return new BigDecimal(new BigInteger(text.toString()), random.nextInt(maxScale + 1));
  }

  private static void assertSameCandles(List<Candle> expected, List<Candle> actual, String where) {
    assertEquals(expected.size(), actual.size(), where);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), where + ", candle " + i);
      assertEquals(expected.get(i).close().doubleValue(), ((CandleAggregator.History) actual).closeAsDouble(i), where + ", double close " + i);
      assertEquals(expected.get(i).close(), ((CandleAggregator.History) actual).close(i), where + ", close " + i);
    }
  }

  private static void foldRandomTrades(long seed, int maxDigits, int maxScale) {
    SplittableRandom random = new SplittableRandom(seed);
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 7);
    Reference reference = new Reference(MINUTE_MS, 7);
    long time = T0;
    for (int n = 0; n < 3_000; n++) {
      int step = random.nextInt(100);
      // mostly within the minute, sometimes the next one, now and then a gap, a late trade or a clock tick
      time += step < 80 ? random.nextInt(5_000) : step < 95 ? MINUTE_MS : step < 98 ? random.nextInt(12) * MINUTE_MS : -2 * MINUTE_MS;
      String where = "seed " + seed + ", step " + n;
      if (random.nextInt(50) == 0) {
        assertSameCandles(reference.advanceTo(time), aggregator.advanceTo(time), where + " (clock)");
      } else {
        Trade trade = new Trade("t" + n, time, decimal(random, maxDigits, maxScale), decimal(random, maxDigits, maxScale), Side.BUY);
        List<Candle> expected = reference.onTrade(trade);
        List<Candle> actual = aggregator.onTrade(trade);
        if (expected.isEmpty()) {
          assertEquals(List.of(), actual, where);
        } else {
          assertSameCandles(expected, actual, where);
        }
      }
      assertSameCandles(reference.history(), aggregator.history(), where + " (history)");
      assertEquals(reference.open, aggregator.openCandle(), where + " (open candle)");
    }
  }

  @Test
  void givesTheCandlesOfTheTradesDecimalsForPricesOfMixedScales() {
    for (long seed = 1; seed <= 5; seed++) {
      foldRandomTrades(seed, 12, 8);
    }
  }

  @Test
  void givesTheCandlesOfTheTradesDecimalsForValuesBeyondALong() {
    for (long seed = 11; seed <= 15; seed++) {
      foldRandomTrades(seed, 22, 24);
    }
  }

  @Test
  void keepsAVolumeThatOutgrowsALongExact() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0, "100.5", "999999999999999999"));
    aggregator.onTrade(trade("2", T0 + 1, "101", "999999999999999999.5"));
    aggregator.onTrade(trade("3", T0 + 2, "99.25", "1"));

    List<Candle> closed = aggregator.onTrade(trade("4", T0 + MINUTE_MS, "100", "1"));

    Candle candle = closed.get(0);
    assertEquals("1999999999999999999.5", candle.volume().toPlainString());
    assertEquals("101", candle.high().toPlainString());
    assertEquals("99.25", candle.low().toPlainString());
    assertEquals(new BigDecimal("100.5"), candle.open());
    assertEquals(3, candle.trades());
  }

  @Test
  void keepsTheEarlierScaleOfAnEqualHighOrLowAndTheLargerScaleOfTheVolume() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 10);
    aggregator.onTrade(trade("1", T0, "100.0", "1.5"));
    aggregator.onTrade(trade("2", T0 + 1, "100.000", "0.25"));
    aggregator.onTrade(trade("3", T0 + 2, "99.50", "2"));
    aggregator.onTrade(trade("4", T0 + 3, "99.5", "1"));

    Candle candle = aggregator.onTrade(trade("5", T0 + MINUTE_MS, "1", "1")).get(0);

    assertEquals("100.0", candle.high().toPlainString());
    assertEquals("99.50", candle.low().toPlainString());
    assertEquals("99.5", candle.close().toPlainString());
    assertEquals("4.75", candle.volume().toPlainString());
  }

  @Test
  void keepsEveryCandleOfALongGapClosedWhenTheColumnsAreNearlyFull() {
    CandleAggregator aggregator = new CandleAggregator(MINUTE_MS, 3);
    Reference reference = new Reference(MINUTE_MS, 3);
    for (int i = 0; i < 17; i++) {
      Trade trade = trade("t" + i, T0 + i * MINUTE_MS, String.valueOf(100 + i), "1");
      aggregator.onTrade(trade);
      reference.onTrade(trade);
    }

    Trade late = trade("gap", T0 + 40 * MINUTE_MS, "90", "1");
    List<Candle> closed = aggregator.onTrade(late);

    assertSameCandles(reference.onTrade(late), closed, "gap");
    assertEquals(4, closed.size());
    assertSameCandles(reference.history(), aggregator.history(), "history");
  }

  @Test
  void givesTheDoubleOfEachCloseAsBigDecimalDoes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      long unscaled = random.nextInt(4) == 0 ? random.nextLong(1L << 62) : random.nextLong(1L << 53);
      int scale = random.nextInt(19);

      assertEquals(BigDecimal.valueOf(unscaled, scale).doubleValue(), CandleAggregator.toDouble(unscaled, scale), unscaled + "e-" + scale);
    }
  }
}
