package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Equity over time with its running peak and drawdown. */
public final class EquityHistory {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private EquityHistory() {}

  /** Equity at a moment. */
  public record Sample(long atMs, BigDecimal equity) {}

  /**
   * A sample with the highest equity up to it, how far below that peak it is, and that distance
   * in percent of the peak (2 decimals, half-even; 0 when the peak is not above zero).
   */
  public record Point(long atMs, BigDecimal equity, BigDecimal peak, BigDecimal drawdown, BigDecimal drawdownPct) {}

  /**
   * {@code samples} (oldest first) with their drawdowns; {@code priorPeak}: the highest equity
   * before the first sample (null: none), so a window of a longer history measures from the
   * history's peak.
   */
  public static List<Point> drawdowns(BigDecimal priorPeak, List<Sample> samples) {
    List<Point> points = new ArrayList<>(samples.size());
    BigDecimal peak = priorPeak;
    for (Sample sample : samples) {
      peak = peak == null ? sample.equity() : peak.max(sample.equity());
      BigDecimal drawdown = peak.subtract(sample.equity());
      BigDecimal pct =
          peak.signum() > 0 ? drawdown.multiply(HUNDRED).divide(peak, 2, RoundingMode.HALF_EVEN) : BigDecimal.ZERO.setScale(2);
      points.add(new Point(sample.atMs(), sample.equity(), peak, drawdown, pct));
    }
    return points;
  }
}
