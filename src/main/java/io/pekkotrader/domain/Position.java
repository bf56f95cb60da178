package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A long spot position in one symbol: quantity and weighted average entry price (fees are
 * accounted as costs in the ledger, not folded into the average).
 */
public record Position(BigDecimal quantity, BigDecimal averagePrice) {
  /** Precision of average prices: ample for any venue's tick size. */
  public static final MathContext PRICE_CONTEXT = new MathContext(34, RoundingMode.HALF_EVEN);

  public static final Position FLAT = new Position(BigDecimal.ZERO, BigDecimal.ZERO);

  public boolean isFlat() {
    return quantity.signum() == 0;
  }

  /** The position after a fill: buys raise the quantity at a weighted average, sells reduce it. */
  public Position apply(Side side, BigDecimal fillQuantity, BigDecimal fillPrice) {
    if (side == Side.BUY) {
      BigDecimal newQuantity = quantity.add(fillQuantity);
      BigDecimal cost = quantity.multiply(averagePrice).add(fillQuantity.multiply(fillPrice));
      return new Position(newQuantity, cost.divide(newQuantity, PRICE_CONTEXT).stripTrailingZeros());
    }
    BigDecimal newQuantity = quantity.subtract(fillQuantity);
    return newQuantity.signum() == 0 ? FLAT : new Position(newQuantity, averagePrice);
  }

  /** Unrealized profit at {@code lastPrice}, before exit fees. */
  public BigDecimal unrealizedPnl(BigDecimal lastPrice) {
    return lastPrice.subtract(averagePrice).multiply(quantity);
  }
}
