package io.pekkotrader.strategy;

import io.pekkotrader.domain.Candle;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;
import org.ta4j.core.num.Num;

/**
 * The candles a strategy is given, as a ta4j bar series of doubles, so that ta4j's indicators
 * (RSI, ATR, SMA) compute over them. Indicators are not money: the strategies compare prices
 * against a position exactly, on the candles' {@link BigDecimal}s.
 */
final class CandleSeries {
  private CandleSeries() {}

  /**
   * A new series of {@code candles}, oldest first; each bar ends one interval (the spacing of the
   * candles' open times, 1 ms when there is a single candle) after its candle opened. Built per
   * evaluation: a strategy keeps no state between calls.
   */
  static BarSeries of(List<Candle> candles) {
    BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DoubleNum::valueOf).build();
    long intervalMs = 1;
    if (candles.size() > 1) {
      intervalMs = Math.max(1, candles.get(1).openTimeMs() - candles.get(0).openTimeMs());
    }
    Duration period = Duration.ofMillis(intervalMs);
    for (Candle candle : candles) {
      ZonedDateTime end = ZonedDateTime.ofInstant(Instant.ofEpochMilli(candle.openTimeMs() + intervalMs), ZoneOffset.UTC);
      series.addBar(
          period,
          end,
          num(candle.open()),
          num(candle.high()),
          num(candle.low()),
          num(candle.close()),
          num(candle.volume()),
          DoubleNum.ZERO);
    }
    return series;
  }

  private static Num num(BigDecimal value) {
    return DoubleNum.valueOf(value.doubleValue());
  }

  /** The last candle's close, exactly. */
  static BigDecimal lastClose(List<Candle> candles) {
    return candles.get(candles.size() - 1).close();
  }

  /** Exit reasons of a long at {@code position}'s average price: stop loss or take profit (null: neither). */
  static String stopOrTarget(BigDecimal close, BigDecimal averagePrice, BigDecimal stopLoss, BigDecimal takeProfit) {
    BigDecimal stop = averagePrice.multiply(BigDecimal.ONE.subtract(stopLoss));
    if (close.compareTo(stop) <= 0) {
      return "stop loss: close " + close.toPlainString() + " <= " + stop.toPlainString();
    }
    if (takeProfit != null) {
      BigDecimal target = averagePrice.multiply(BigDecimal.ONE.add(takeProfit));
      if (close.compareTo(target) >= 0) {
        return "take profit: close " + close.toPlainString() + " >= " + target.toPlainString();
      }
    }
    return null;
  }

  /** {@code value} with 4 decimals, for a reason text. */
  static String fmt(double value) {
    return String.format(java.util.Locale.ROOT, "%.4f", value);
  }
}
