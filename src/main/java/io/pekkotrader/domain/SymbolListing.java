package io.pekkotrader.domain;

import java.math.BigDecimal;

/**
 * One traded symbol and how it trades: configured at start-up or added at run time.
 *
 * @param strategy the strategy's name; empty: the default strategy
 * @param lotStep the venue's quantity step for the symbol
 * @param startPrice where the embedded market's random walk starts for it
 * @param quoteAsset the cash asset it trades against (set as {@code quote}, or the longest cash
 *     asset its name ends with); null: derived when needed
 * @param orderNotional the amount of one entry in {@code quoteAsset}; null: {@code trading.order-notional}
 */
public record SymbolListing(
    SymbolId id, String strategy, BigDecimal lotStep, BigDecimal startPrice, String quoteAsset, BigDecimal orderNotional) {

  /** The finest lot step (8 decimals), where no step is known: a quantity rounded to it is never larger than asked. */
  public static final BigDecimal FINEST_LOT_STEP = new BigDecimal("0.00000001");

  /** A symbol quoted in the asset its name ends with, entries of {@code trading.order-notional}. */
  public SymbolListing(SymbolId id, String strategy, BigDecimal lotStep, BigDecimal startPrice) {
    this(id, strategy, lotStep, startPrice, null, null);
  }
}
