package io.pekkotrader.domain.risk;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/**
 * The portfolio as risk sees it at one moment, in the account asset. When the rate of some
 * asset's cash to the account asset is not known yet, that asset's pool is left out of every
 * figure (never converted at an assumed rate) and {@code unconvertedAssets} names it: the figures
 * are then incomplete ({@link #complete()}), and neither the day's PnL nor the drawdown can be
 * judged from them.
 *
 * @param equity cash plus the market value of every position
 * @param peakEquity the highest equity seen (never below starting capital)
 * @param dayStartEquity equity at the start of the current trading day
 * @param dayStartMs when the current trading day started, epoch millis
 * @param startingCapital capital at start, > 0
 * @param brokenInvariants why the ledger does not reconcile, or null when it does
 * @param unconvertedAssets assets left out for want of a rate (empty: the figures are complete)
 */
public record PortfolioFigures(
    BigDecimal equity,
    BigDecimal peakEquity,
    BigDecimal dayStartEquity,
    long dayStartMs,
    BigDecimal startingCapital,
    String brokenInvariants,
    List<String> unconvertedAssets) {

  private static final MathContext RATIO = new MathContext(12, RoundingMode.HALF_EVEN);

  public PortfolioFigures {
    Objects.requireNonNull(equity, "equity");
    Objects.requireNonNull(peakEquity, "peakEquity");
    Objects.requireNonNull(dayStartEquity, "dayStartEquity");
    if (startingCapital == null || startingCapital.signum() <= 0) {
      throw new IllegalArgumentException("starting capital must be > 0");
    }
    unconvertedAssets = unconvertedAssets == null ? List.of() : List.copyOf(unconvertedAssets);
  }

  /** Figures of a portfolio whose every asset is converted (or that holds the account asset only). */
  public PortfolioFigures(
      BigDecimal equity,
      BigDecimal peakEquity,
      BigDecimal dayStartEquity,
      long dayStartMs,
      BigDecimal startingCapital,
      String brokenInvariants) {
    this(equity, peakEquity, dayStartEquity, dayStartMs, startingCapital, brokenInvariants, List.of());
  }

  /** Whether every asset's pool is in the figures. */
  public boolean complete() {
    return unconvertedAssets.isEmpty();
  }

  /** Equity now minus equity at the start of the trading day (realized and unrealized). */
  public BigDecimal dailyPnl() {
    return equity.subtract(dayStartEquity);
  }

  /** Fall from peak equity as a fraction of it, 0 at or above the peak. */
  public BigDecimal drawdown() {
    if (peakEquity.signum() <= 0 || equity.compareTo(peakEquity) >= 0) {
      return BigDecimal.ZERO;
    }
    return peakEquity.subtract(equity).divide(peakEquity, RATIO);
  }

  /** (Equity − starting capital) / starting capital. */
  public BigDecimal roi() {
    return equity.subtract(startingCapital).divide(startingCapital, RATIO);
  }
}
