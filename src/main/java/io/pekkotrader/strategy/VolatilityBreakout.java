package io.pekkotrader.strategy;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Signal;
import io.pekkotrader.domain.Strategy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.helpers.CombineIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.VolumeIndicator;

/**
 * The 10-second-candle signal of the bots this engine replaces: a quiet candle (low volume, narrow
 * range) in a market that is volatile (high NATR) and rising (growth over a look-back), long only.
 *
 * <p>Entry, on the last candle {@code c} with the {@code lookback} candles before it as reference:
 *
 * <ul>
 *   <li>volume low: volume(c) ≤ volume-factor × mean volume of the reference candles;
 *   <li>range narrow: high(c) − low(c) ≤ range-factor × mean (high − low) of the reference candles;
 *   <li>NATR high: ATR(atr-period) at c / close(c) × 100 ≥ natr-min (ATR: ta4j's, Wilder's
 *       smoothing of the true range);
 *   <li>growth: close(c) / close(c − growth-lookback) − 1 ≥ growth-min.
 * </ul>
 *
 * Exit: close at or below average price × (1 − stop-loss), or at or above average price × (1 +
 * take-profit).
 *
 * <p>Warm-up ({@link #requiredCandles()}): max(lookback, atr-period) + 1 candles. The growth filter
 * needs growth-lookback + 1 candles; when that is more than the warm-up, the filter is not applied
 * until there are that many, and every signal in that time says so in its reason rather than
 * passing the filter silently.
 */
public final class VolatilityBreakout implements Strategy {
  public static final String NAME = "volatility-breakout";

  /** Its registration: parameters with ranges and meaning (defaults in application.conf). */
  public static final StrategyDescriptor DESCRIPTOR =
      new StrategyDescriptor(
          NAME,
          "Long-only breakout setup: enters on a quiet candle (low volume, narrow range) while the market is"
              + " volatile (NATR at least natr-min) and has grown at least growth-min over growth-lookback candles;"
              + " exits on stop loss or take profit.",
          "max(lookback, atr-period) + 1 candles; the growth filter waits for growth-lookback + 1 and says so",
          List.of(
              StrategyParam.integer("lookback", 2, 1000, "reference candles before the last one for the mean volume and mean range"),
              StrategyParam.decimal("volume-factor", "0", false, null, false, "volume low: last volume <= volume-factor * mean volume"),
              StrategyParam.decimal("range-factor", "0", false, null, false, "range narrow: last high - low <= range-factor * mean range"),
              StrategyParam.integer("atr-period", 1, 1000, "candles of the ATR (Wilder smoothing of the true range)"),
              StrategyParam.decimal("natr-min", "0", true, null, false, "volatile: ATR / close * 100 (percent) >= natr-min"),
              StrategyParam.integer("growth-lookback", 1, 1000, "candles over which growth is measured: close / close n candles before - 1"),
              StrategyParam.decimal("growth-min", "-1", false, null, false, "rising: growth >= growth-min (a fraction: 0.002 = 0.2 %)"),
              StrategyParam.decimal("stop-loss", "0", false, "1", false, "exit when the close is at or below average price * (1 - stop-loss)"),
              StrategyParam.decimal("take-profit", "0", false, null, false, "exit when the close is at or above average price * (1 + take-profit)")),
          VolatilityBreakout::from);

  /** Checked parameters. */
  public record Params(
      int lookback,
      double volumeFactor,
      double rangeFactor,
      int atrPeriod,
      double natrMin,
      int growthLookback,
      double growthMin,
      BigDecimal stopLoss,
      BigDecimal takeProfit) {}

  private final Params params;

  public VolatilityBreakout(Params params) {
    this.params = params;
  }

  static VolatilityBreakout from(StrategyDescriptor.Values values) {
    return new VolatilityBreakout(
        new Params(
            values.integer("lookback"),
            values.number("volume-factor"),
            values.number("range-factor"),
            values.integer("atr-period"),
            values.number("natr-min"),
            values.integer("growth-lookback"),
            values.number("growth-min"),
            values.decimal("stop-loss"),
            values.decimal("take-profit")));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The warm-up: max(lookback, atr-period) + 1 candles (the growth look-back is not part of it). */
  @Override
  public int requiredCandles() {
    return Math.max(params.lookback(), params.atrPeriod()) + 1;
  }

  /** Candles the growth filter needs: growth-lookback + 1. */
  public int growthCandles() {
    return params.growthLookback() + 1;
  }

  /**
   * Why the growth filter is not applied on {@code candles} candles after the warm-up, or null when
   * it is: its look-back is longer than the warm-up and the candles are still too few.
   */
  public String growthNotApplied(int candles) {
    if (candles >= growthCandles()) {
      return null;
    }
    return "growth lookback " + params.growthLookback() + " (" + growthCandles() + " candles) exceeds warm-up " + requiredCandles()
        + ": growth filter not applied until " + growthCandles() + " candles (have " + candles + ")";
  }

  @Override
  public BigDecimal stopPrice(BigDecimal entryPrice) {
    return entryPrice.multiply(BigDecimal.ONE.subtract(params.stopLoss()));
  }

  @Override
  public Signal evaluate(List<Candle> candles, Position position) {
    if (candles.isEmpty()) {
      return Signal.hold("no candles");
    }
    if (!position.isFlat()) {
      String exit =
          CandleSeries.stopOrTarget(CandleSeries.lastClose(candles), position.averagePrice(), params.stopLoss(), params.takeProfit());
      return exit != null ? new Signal(Signal.Action.EXIT, exit) : Signal.hold("holding");
    }
    if (candles.size() < requiredCandles()) {
      return Signal.hold("warming up: " + candles.size() + " of " + requiredCandles() + " candles");
    }
    BarSeries series = CandleSeries.of(candles);
    int last = series.getEndIndex();
    VolumeIndicator volume = new VolumeIndicator(series);
    CombineIndicator range = CombineIndicator.minus(new HighPriceIndicator(series), new LowPriceIndicator(series));
    double meanVolume = new SMAIndicator(volume, params.lookback()).getValue(last - 1).doubleValue();
    double meanRange = new SMAIndicator(range, params.lookback()).getValue(last - 1).doubleValue();
    double lastVolume = volume.getValue(last).doubleValue();
    double lastRange = range.getValue(last).doubleValue();
    double close = series.getBar(last).getClosePrice().doubleValue();
    double natr = new ATRIndicator(series, params.atrPeriod()).getValue(last).doubleValue() / close * 100;

    List<String> failed = new ArrayList<>();
    List<String> passed = new ArrayList<>();
    check(lastVolume <= params.volumeFactor() * meanVolume,
        "volume " + CandleSeries.fmt(lastVolume) + " <= " + params.volumeFactor() + " * mean " + CandleSeries.fmt(meanVolume),
        "volume " + CandleSeries.fmt(lastVolume) + " > " + params.volumeFactor() + " * mean " + CandleSeries.fmt(meanVolume),
        passed, failed);
    check(lastRange <= params.rangeFactor() * meanRange,
        "range " + CandleSeries.fmt(lastRange) + " <= " + params.rangeFactor() + " * mean " + CandleSeries.fmt(meanRange),
        "range " + CandleSeries.fmt(lastRange) + " > " + params.rangeFactor() + " * mean " + CandleSeries.fmt(meanRange),
        passed, failed);
    check(natr >= params.natrMin(),
        "NATR " + CandleSeries.fmt(natr) + " >= " + params.natrMin(),
        "NATR " + CandleSeries.fmt(natr) + " < " + params.natrMin(),
        passed, failed);
    String notApplied = growthNotApplied(candles.size());
    if (notApplied == null) {
      double growth = close / series.getBar(last - params.growthLookback()).getClosePrice().doubleValue() - 1;
      check(growth >= params.growthMin(),
          "growth " + CandleSeries.fmt(growth) + " >= " + params.growthMin(),
          "growth " + CandleSeries.fmt(growth) + " < " + params.growthMin(),
          passed, failed);
    }
    String note = notApplied == null ? "" : "; " + notApplied;
    if (failed.isEmpty()) {
      return new Signal(Signal.Action.ENTER_LONG, "breakout setup: " + String.join(", ", passed) + note);
    }
    return Signal.hold("no setup: " + String.join(", ", failed) + note);
  }

  private static void check(boolean ok, String pass, String fail, List<String> passed, List<String> failed) {
    (ok ? passed : failed).add(ok ? pass : fail);
  }
}
