package io.pekkotrader.domain.risk;

import java.math.BigDecimal;

/**
 * A venue's trading rules for one symbol (Binance's MIN_NOTIONAL, LOT_SIZE and PRICE_FILTER).
 *
 * @param minNotional smallest price × quantity accepted, >= 0
 * @param minQuantity smallest quantity, >= 0
 * @param lotStep quantity must be a multiple of this, > 0
 * @param tickSize a limit price must be a multiple of this, > 0
 */
public record VenueFilters(BigDecimal minNotional, BigDecimal minQuantity, BigDecimal lotStep, BigDecimal tickSize) {
  public VenueFilters {
    if (minNotional.signum() < 0 || minQuantity.signum() < 0 || lotStep.signum() <= 0 || tickSize.signum() <= 0) {
      throw new IllegalArgumentException("venue filters: minNotional and minQuantity >= 0, lotStep and tickSize > 0");
    }
  }

  static boolean isMultiple(BigDecimal value, BigDecimal step) {
    return value.remainder(step).signum() == 0;
  }
}
