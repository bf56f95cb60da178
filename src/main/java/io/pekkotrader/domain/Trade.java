package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One public trade on a venue, as decoded from market data.
 *
 * @param tradeId the venue's trade id, unique per symbol on that venue
 * @param timestampMs trade time, epoch milliseconds
 * @param price exact price as sent by the venue
 * @param quantity exact base quantity as sent by the venue
 * @param takerSide the side of the aggressor
 */
public record Trade(String tradeId, long timestampMs, BigDecimal price, BigDecimal quantity, Side takerSide) {
  public Trade {
    Objects.requireNonNull(tradeId, "tradeId");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(takerSide, "takerSide");
    if (price.signum() <= 0) {
      throw new IllegalArgumentException("trade price must be > 0, got " + price.toPlainString());
    }
    if (quantity.signum() <= 0) {
      throw new IllegalArgumentException("trade quantity must be > 0, got " + quantity.toPlainString());
    }
  }
}
