package io.pekkotrader.domain.risk;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The portfolio as risk sees it at one moment, in the quote asset.
 *
 * @param equity cash plus the market value of every position
 * @param peakEquity the highest equity seen (never below starting capital)
 * @param dayStartEquity equity at the start of the current trading day
 * @param dayStartMs when the current trading day started, epoch millis
 * @param startingCapital capital at start, > 0
 * @param brokenInvariants why the ledger does not reconcile, or null when it does
 */
public record PortfolioFigures(
    BigDecimal equity,
    BigDecimal peakEquity,
    BigDecimal dayStartEquity,
    long dayStartMs,
    BigDecimal startingCapital,
    String brokenInvariants) {

  private static final MathContext RATIO = new MathContext(12, RoundingMode.HALF_EVEN);

  public PortfolioFigures {
    Objects.requireNonNull(equity, "equity");
    Objects.requireNonNull(peakEquity, "peakEquity");
    Objects.requireNonNull(dayStartEquity, "dayStartEquity");
    if (startingCapital == null || startingCapital.signum() <= 0) {
      throw new IllegalArgumentException("starting capital must be > 0");
    }
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
