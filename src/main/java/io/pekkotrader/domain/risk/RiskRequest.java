package io.pekkotrader.domain.risk;

import io.pekkotrader.domain.OrderIntent;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One intent to check.
 *
 * @param intent the order intent (its reference price prices a market order)
 * @param stopPrice where the strategy would cut the loss; required for entries (per-trade max loss)
 * @param limitPrice the limit price, or null for a market order (tick size applies to limits only)
 */
public record RiskRequest(OrderIntent intent, BigDecimal stopPrice, BigDecimal limitPrice) {
  public RiskRequest {
    Objects.requireNonNull(intent, "intent");
  }

  /** Quantity × (limit price, or reference price for a market order). */
  public BigDecimal notional() {
    return intent.quantity().multiply(limitPrice != null ? limitPrice : intent.referencePrice());
  }
}
