package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A position in one symbol, long (quantity > 0) or short (quantity < 0), at weighted average
 * cost. It keeps the exact signed cost basis (Σ price × signed quantity of what is still open);
 * the average price is derived from it. Fees are costs in the ledger, not folded in here.
 *
 * <p>Adding in the position's direction adds to the cost exactly. Reducing removes the closed
 * share of the cost, {@code cost × closed / |quantity|} rounded to {@link #PRICE_CONTEXT}, and
 * keeps the remainder exact, so that realized plus unrealized PnL always equals the exact cash
 * flows: rounding never accumulates. Booked at an asset's precision (see {@link
 * #fill(Side, BigDecimal, BigDecimal, AssetPrecision)}), the cost is the sum of the quote amounts
 * the venue booked, and the closed share is rounded to that precision instead. Crossing zero closes the whole position and opens the rest
 * on the other side at the fill price.
 *
 * @param quantity signed quantity (0 = flat)
 * @param costBasis signed cost of the open quantity (0 when flat)
 */
public record Position(BigDecimal quantity, BigDecimal costBasis) {
  /** Precision of divisions (average price, closed share of the cost): ample for any venue. */
  public static final MathContext PRICE_CONTEXT = new MathContext(34, RoundingMode.HALF_EVEN);

  public static final Position FLAT = new Position(BigDecimal.ZERO, BigDecimal.ZERO);

  /** A position of {@code quantity} (signed) bought or sold at {@code averagePrice}. */
  public static Position of(BigDecimal quantity, BigDecimal averagePrice) {
    return quantity.signum() == 0 ? FLAT : new Position(quantity, quantity.multiply(averagePrice));
  }

  public boolean isFlat() {
    return quantity.signum() == 0;
  }

  /** |cost| / |quantity|, rounded to {@link #PRICE_CONTEXT}; zero when flat. */
  public BigDecimal averagePrice() {
    if (isFlat()) {
      return BigDecimal.ZERO;
    }
    return costBasis.abs().divide(quantity.abs(), PRICE_CONTEXT).stripTrailingZeros();
  }

  /** The position and the PnL it realized (before fees) after one fill. */
  public record Change(Position after, BigDecimal realized) {}

  /** Applies a fill of {@code side}, {@code fillQuantity} (> 0) at {@code fillPrice}, exactly. */
  public Change fill(Side side, BigDecimal fillQuantity, BigDecimal fillPrice) {
    return fill(side, fillQuantity, fillPrice, null);
  }

  /**
   * Applies a fill of {@code side}, {@code fillQuantity} (> 0) at {@code fillPrice}, its amounts
   * booked at {@code precision}: what it adds to the cost is its quote amount (price × quantity)
   * at that precision, the closed share of the cost is rounded straight to it, and so the cost
   * basis and the realized PnL stay at it. A fill crossing zero books the quote amount of the part
   * it opens at that precision and the rest of its quote amount as the closing value, so the two
   * parts add up to the fill's quote amount. {@code precision} null: exact, as fills were booked
   * before asset precision.
   */
  public Change fill(Side side, BigDecimal fillQuantity, BigDecimal fillPrice, AssetPrecision precision) {
    BigDecimal signed = side == Side.BUY ? fillQuantity : fillQuantity.negate();
    BigDecimal amount = quoteAmount(fillQuantity, fillPrice, precision);
    if (isFlat() || quantity.signum() == signed.signum()) {
      BigDecimal added = signed.signum() > 0 ? amount : amount.negate();
      return new Change(new Position(quantity.add(signed), costBasis.add(added)), BigDecimal.ZERO);
    }
    BigDecimal held = quantity.abs();
    BigDecimal closed = fillQuantity.min(held);
    BigDecimal removedCost;
    if (closed.compareTo(held) == 0) {
      removedCost = costBasis;
    } else if (precision == null) {
      removedCost = costBasis.multiply(closed).divide(held, PRICE_CONTEXT);
    } else {
      removedCost = precision.share(costBasis, closed, held);
    }
    BigDecimal opened = fillQuantity.subtract(closed);
    BigDecimal openedAmount = opened.signum() > 0 ? quoteAmount(opened, fillPrice, precision) : BigDecimal.ZERO;
    // closing a long sells `closed` at the fill price; closing a short buys it back
    BigDecimal closingValue = amount.subtract(openedAmount).multiply(BigDecimal.valueOf(quantity.signum()));
    BigDecimal realized = closingValue.subtract(removedCost);
    BigDecimal remaining = quantity.add(signed.signum() > 0 ? closed : closed.negate());
    Position after = remaining.signum() == 0 ? FLAT : new Position(remaining, costBasis.subtract(removedCost));
    if (opened.signum() > 0) {
      BigDecimal openedSigned = signed.signum() > 0 ? opened : opened.negate();
      after = new Position(openedSigned, signed.signum() > 0 ? openedAmount : openedAmount.negate());
    }
    return new Change(after, realized);
  }

  /** Price × quantity, at {@code precision} (null: exact). */
  public static BigDecimal quoteAmount(BigDecimal quantity, BigDecimal price, AssetPrecision precision) {
    BigDecimal amount = price.multiply(quantity);
    return precision == null ? amount : precision.round(amount);
  }

  /** The position after a fill (see {@link #fill}). */
  public Position apply(Side side, BigDecimal fillQuantity, BigDecimal fillPrice) {
    return fill(side, fillQuantity, fillPrice).after();
  }

  /** Market value at {@code lastPrice} (negative for a short: what buying it back costs). */
  public BigDecimal marketValue(BigDecimal lastPrice) {
    return quantity.multiply(lastPrice);
  }

  /** Unrealized profit at {@code lastPrice}, before exit fees: market value minus cost. */
  public BigDecimal unrealizedPnl(BigDecimal lastPrice) {
    return marketValue(lastPrice).subtract(costBasis);
  }
}
