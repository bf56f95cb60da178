package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Turns a quote notional into a base quantity rounded down to the venue's lot step. */
public final class OrderSizing {
  private OrderSizing() {}

  /** {@code floor(notional / price / step) × step}; zero when the notional buys less than one step. */
  public static BigDecimal quantityFor(BigDecimal notional, BigDecimal price, BigDecimal lotStep) {
    if (notional.signum() <= 0 || price.signum() <= 0 || lotStep.signum() <= 0) {
      throw new IllegalArgumentException("notional, price and lot step must all be > 0");
    }
    BigDecimal steps = notional.divide(price.multiply(lotStep), 0, RoundingMode.DOWN);
    return steps.multiply(lotStep).stripTrailingZeros();
  }

  /**
   * Quote funds to hold for a market buy: notional at the reference price raised by a price
   * buffer (the market may move before the fill), plus the fee on that amount.
   */
  public static BigDecimal reservationFor(
      BigDecimal quantity, BigDecimal referencePrice, BigDecimal priceBuffer, BigDecimal feeRate) {
    BigDecimal buffered = quantity.multiply(referencePrice).multiply(BigDecimal.ONE.add(priceBuffer));
    return buffered.add(buffered.multiply(feeRate));
  }
}
