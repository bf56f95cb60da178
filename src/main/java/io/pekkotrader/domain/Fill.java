package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One execution of an order, as reported by the venue.
 *
 * @param tradeId the venue's execution id; a fill is applied once per trade id
 * @param clientOrderId the order it belongs to
 * @param symbol the instrument
 * @param side the order's side
 * @param quantity base quantity filled, > 0
 * @param price execution price, > 0
 * @param fee fee paid, in the quote asset, >= 0
 * @param timestampMs execution time, epoch millis
 */
public record Fill(
    String tradeId,
    String clientOrderId,
    SymbolId symbol,
    Side side,
    BigDecimal quantity,
    BigDecimal price,
    BigDecimal fee,
    long timestampMs) {

  public Fill {
    Objects.requireNonNull(tradeId, "tradeId");
    Objects.requireNonNull(clientOrderId, "clientOrderId");
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(side, "side");
    if (quantity.signum() <= 0) {
      throw new IllegalArgumentException("fill quantity must be > 0, got " + quantity.toPlainString());
    }
    if (price.signum() <= 0) {
      throw new IllegalArgumentException("fill price must be > 0, got " + price.toPlainString());
    }
    if (fee.signum() < 0) {
      throw new IllegalArgumentException("fill fee must be >= 0, got " + fee.toPlainString());
    }
  }

  /** The same fill with {@code booked} as its fee (e.g. the fee at its asset's precision). */
  public Fill withFee(BigDecimal booked) {
    return new Fill(tradeId, clientOrderId, symbol, side, quantity, price, booked, timestampMs);
  }

  /** Price × quantity, before fees, exactly (the ledger books it at the asset's precision). */
  public BigDecimal notional() {
    return price.multiply(quantity);
  }
}
