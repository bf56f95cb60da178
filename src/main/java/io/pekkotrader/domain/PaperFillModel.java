package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How paper execution fills a market order: at the last trade price moved against the order by
 * {@code slippageBps}, fee = notional × {@code feeRate} at the quote asset's precision (as a venue
 * charges it), optionally split into {@code parts} partial fills. Trade ids are
 * {@code <clientOrderId>-<n>}, unique because client order ids are.
 *
 * @param feeRate e.g. 0.001 for 10 bps
 * @param slippageBps adverse price move in basis points, >= 0
 * @param parts number of fills per order, >= 1 (1 = one complete fill)
 * @param lotStep smallest quantity increment for the partial split
 * @param feePrecision the precision of the symbol's quote asset, which fees are charged at
 */
public record PaperFillModel(
    BigDecimal feeRate, BigDecimal slippageBps, int parts, BigDecimal lotStep, AssetPrecision feePrecision) {
  private static final BigDecimal BPS = new BigDecimal("10000");

  public PaperFillModel {
    if (feeRate.signum() < 0 || slippageBps.signum() < 0 || parts < 1 || lotStep.signum() <= 0) {
      throw new IllegalArgumentException("fee rate and slippage must be >= 0, parts >= 1, lot step > 0");
    }
    Objects.requireNonNull(feePrecision, "feePrecision");
  }

  /** Fees charged at {@link AssetPrecision#DEFAULT}. */
  public PaperFillModel(BigDecimal feeRate, BigDecimal slippageBps, int parts, BigDecimal lotStep) {
    this(feeRate, slippageBps, parts, lotStep, AssetPrecision.DEFAULT);
  }

  /** The price a market order of {@code side} fills at, given the last trade price. */
  public BigDecimal fillPrice(Side side, BigDecimal lastPrice) {
    BigDecimal move = lastPrice.multiply(slippageBps).divide(BPS);
    return side == Side.BUY ? lastPrice.add(move) : lastPrice.subtract(move);
  }

  /** The fills for the whole order, in the order the venue would report them. */
  public List<Fill> fills(OrderIntent intent, BigDecimal lastPrice, long timestampMs) {
    BigDecimal price = fillPrice(intent.side(), lastPrice);
    List<BigDecimal> quantities = split(intent.quantity());
    List<Fill> fills = new ArrayList<>(quantities.size());
    for (int i = 0; i < quantities.size(); i++) {
      BigDecimal quantity = quantities.get(i);
      BigDecimal fee = feePrecision.round(price.multiply(quantity).multiply(feeRate));
      fills.add(
          new Fill(
              intent.clientOrderId() + "-" + (i + 1),
              intent.clientOrderId(),
              intent.symbol(),
              intent.side(),
              quantity,
              price,
              fee,
              timestampMs));
    }
    return fills;
  }

  /** Splits into {@code parts} lot-aligned pieces; the last piece takes the remainder. */
  private List<BigDecimal> split(BigDecimal quantity) {
    List<BigDecimal> pieces = new ArrayList<>();
    BigDecimal piece = quantity.divide(lotStep.multiply(BigDecimal.valueOf(parts)), 0, RoundingMode.DOWN).multiply(lotStep);
    if (parts == 1 || piece.signum() == 0) {
      return List.of(quantity);
    }
    BigDecimal left = quantity;
    for (int i = 0; i < parts - 1; i++) {
      pieces.add(piece);
      left = left.subtract(piece);
    }
    pieces.add(left);
    return pieces;
  }
}
