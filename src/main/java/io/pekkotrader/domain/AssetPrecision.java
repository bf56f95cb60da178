package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * How a venue books amounts of one asset: at {@code decimals} decimals (8 for every asset on
 * Binance spot), rounded by {@code rounding}. The ledger books every fee, quote amount and the
 * cost it takes off a position at this precision, so its cash, fees and realized PnL carry no
 * more decimals than the venue's balances.
 *
 * @param decimals 0..{@link #MAX_DECIMALS}
 * @param rounding how an amount with more decimals is rounded; never {@link RoundingMode#UNNECESSARY}
 */
public record AssetPrecision(int decimals, RoundingMode rounding) {

  public static final int MAX_DECIMALS = 18;

  /** What an asset without a precision of its own gets: 8 decimals, rounded half to even. */
  public static final AssetPrecision DEFAULT = new AssetPrecision(8, RoundingMode.HALF_EVEN);

  public AssetPrecision {
    Objects.requireNonNull(rounding, "rounding");
    if (decimals < 0 || decimals > MAX_DECIMALS) {
      throw new IllegalArgumentException("decimals must be in 0.." + MAX_DECIMALS + ", got " + decimals);
    }
    if (rounding == RoundingMode.UNNECESSARY) {
      throw new IllegalArgumentException("rounding must round: UNNECESSARY is not a rounding");
    }
  }

  /** {@code amount} at this precision; one that has no more decimals comes back as it is. */
  public BigDecimal round(BigDecimal amount) {
    return amount.scale() <= decimals ? amount : amount.setScale(decimals, rounding);
  }

  /** {@code amount} rounded up (away from zero) to this precision: a hold that covers it. */
  public BigDecimal covering(BigDecimal amount) {
    return amount.scale() <= decimals ? amount : amount.setScale(decimals, RoundingMode.UP);
  }

  /** {@code amount × part / whole}, rounded once, straight to this precision. */
  public BigDecimal share(BigDecimal amount, BigDecimal part, BigDecimal whole) {
    return amount.multiply(part).divide(whole, decimals, rounding);
  }
}
