package io.pekkotrader.domain;

import java.math.BigDecimal;

/**
 * An OHLCV candle over {@code [openTimeMs, openTimeMs + interval)}. Built once from trades,
 * never converted back. A candle with {@code trades == 0} is a forward-fill of an interval
 * with no trade: open, high, low and close all equal the previous close, volume zero.
 */
public record Candle(
    long openTimeMs,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    BigDecimal volume,
    int trades) {

  static Candle forwardFill(long openTimeMs, BigDecimal previousClose) {
    return new Candle(openTimeMs, previousClose, previousClose, previousClose, previousClose, BigDecimal.ZERO, 0);
  }

  public boolean isForwardFilled() {
    return trades == 0;
  }
}
