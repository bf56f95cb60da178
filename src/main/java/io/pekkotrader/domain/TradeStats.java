package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running win/loss figures over round trips: counts and a PnL sum, so they take constant memory
 * however long the history. A win is a trade whose PnL net of fees is above zero, a loss below
 * zero; a trade that broke even is neither.
 *
 * @param trades round trips counted
 * @param wins of which won
 * @param losses of which lost
 * @param pnl Σ PnL net of fees
 */
public record TradeStats(long trades, long wins, long losses, BigDecimal pnl) {
  public static final TradeStats NONE = new TradeStats(0, 0, 0, BigDecimal.ZERO);

  public TradeStats add(RoundTrips.RoundTrip trip) {
    int sign = trip.pnl().signum();
    return new TradeStats(trades + 1, wins + (sign > 0 ? 1 : 0), losses + (sign < 0 ? 1 : 0), pnl.add(trip.pnl()));
  }

  /** Wins / trades in 0..1, to 4 decimals (half-even) without trailing zeros; 0 with no trades. */
  public BigDecimal winRate() {
    if (trades == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal rate = BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(trades), 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
    return rate.signum() == 0 ? BigDecimal.ZERO : rate;
  }

  /**
   * The figures of every symbol and in total. Each symbol's PnL is in its quote asset; the total
   * counts every trade, but sums the PnL of the trades in {@code accountAsset} only (trades in
   * another quote asset, or whose asset is not known, are not added to it: amounts in different
   * assets do not add up).
   */
  public record Performance(String accountAsset, TradeStats total, Map<String, TradeStats> bySymbol) {
    public Performance {
      bySymbol = java.util.Collections.unmodifiableMap(new TreeMap<>(bySymbol));
    }

    public static Performance empty(String accountAsset) {
      return new Performance(accountAsset, NONE, Map.of());
    }

    public Performance add(RoundTrips.RoundTrip trip) {
      Map<String, TradeStats> next = new TreeMap<>(bySymbol);
      next.merge(trip.symbol().id(), NONE.add(trip), (was, one) -> was.add(trip));
      TradeStats counted = total.add(trip);
      if (!accountAsset.equals(trip.quoteAsset())) {
        counted = new TradeStats(counted.trades(), counted.wins(), counted.losses(), total.pnl());
      }
      return new Performance(accountAsset, counted, next);
    }
  }
}
