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

  static Candle firstTrade(long openTimeMs, Trade trade) {
    return new Candle(openTimeMs, trade.price(), trade.price(), trade.price(), trade.price(), trade.quantity(), 1);
  }

  static Candle forwardFill(long openTimeMs, BigDecimal previousClose) {
    return new Candle(openTimeMs, previousClose, previousClose, previousClose, previousClose, BigDecimal.ZERO, 0);
  }

  Candle with(Trade trade) {
    if (isForwardFilled()) {
      return firstTrade(openTimeMs, trade);
    }
    BigDecimal price = trade.price();
    return new Candle(
        openTimeMs,
        open,
        high.max(price),
        low.min(price),
        price,
        volume.add(trade.quantity()),
        trades + 1);
  }

  public boolean isForwardFilled() {
    return trades == 0;
  }
}
