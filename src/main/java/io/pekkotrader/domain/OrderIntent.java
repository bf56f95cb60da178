package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a symbol intends to trade, persisted before any order is sent.
 *
 * @param clientOrderId the id the venue will know the order by; see {@link ClientOrderIds}
 * @param symbol the instrument
 * @param kind entry or exit
 * @param side buy or sell
 * @param quantity base quantity, exact, > 0
 * @param referencePrice the last trade price seen when the intent was made (sizing, risk, paper fills)
 * @param strategy the strategy that produced it (or {@code operator})
 * @param reason why, in words (the signal)
 * @param createdAtMs epoch millis
 */
public record OrderIntent(
    String clientOrderId,
    SymbolId symbol,
    IntentKind kind,
    Side side,
    BigDecimal quantity,
    BigDecimal referencePrice,
    String strategy,
    String reason,
    long createdAtMs) {

  public OrderIntent {
    Objects.requireNonNull(clientOrderId, "clientOrderId");
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(referencePrice, "referencePrice");
    if (quantity.signum() <= 0) {
      throw new IllegalArgumentException("order quantity must be > 0, got " + quantity.toPlainString());
    }
    if (referencePrice.signum() <= 0) {
      throw new IllegalArgumentException("reference price must be > 0, got " + referencePrice.toPlainString());
    }
  }

  /** Quantity × reference price. */
  public BigDecimal notional() {
    return quantity.multiply(referencePrice);
  }
}
