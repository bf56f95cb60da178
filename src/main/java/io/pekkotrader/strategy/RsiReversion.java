package io.pekkotrader.strategy;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Signal;
import io.pekkotrader.domain.Strategy;
import java.math.BigDecimal;
import java.util.List;
import org.ta4j.core.BarSeries;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;

/**
 * Long-only RSI mean reversion.
 *
 * <ul>
 *   <li>Entry: the RSI of closes over {@code period} candles (ta4j's {@link RSIIndicator}: Wilder's
 *       smoothing of gains and losses) is below {@code oversold}.
 *   <li>Exit: close at or below average price × (1 − stop-loss), or the RSI above {@code overbought}.
 * </ul>
 *
 * Warm-up: {@code period + 1} candles. The smoothing runs over every candle given, so the RSI
 * settles over a few periods beyond the warm-up.
 */
public final class RsiReversion implements Strategy {
  public static final String NAME = "rsi-reversion";

  /** Its registration: parameters with ranges and meaning (defaults in application.conf). */
  public static final StrategyDescriptor DESCRIPTOR =
      new StrategyDescriptor(
          NAME,
          "Long-only RSI mean reversion: enters when the RSI of closes is below the oversold level;"
              + " exits when it is above the overbought level, or on the stop loss.",
          "period + 1 candles",
          List.of(
              StrategyParam.integer("period", 2, 500, "candles of the RSI (Wilder smoothing of gains and losses)"),
              StrategyParam.decimal("oversold", "0", false, "100", false, "enter while the RSI is below this level (< overbought)"),
              StrategyParam.decimal("overbought", "0", false, "100", false, "exit when the RSI is above this level (> oversold)"),
              StrategyParam.decimal("stop-loss", "0", false, "1", false, "exit when the close is at or below average price * (1 - stop-loss)")),
          RsiReversion::from);

  private final int period;
  private final double oversold;
  private final double overbought;
  private final BigDecimal stopLoss;

  public RsiReversion(int period, double oversold, double overbought, BigDecimal stopLoss) {
    if (period < 2) {
      throw new InvalidStrategyParameter(NAME, "period", "must be in 2..500", String.valueOf(period));
    }
    if (!(oversold < overbought)) {
      throw new InvalidStrategyParameter(NAME, "overbought", "must be > oversold (" + oversold + ")", String.valueOf(overbought));
    }
    if (stopLoss.signum() <= 0 || stopLoss.compareTo(BigDecimal.ONE) >= 0) {
      throw new InvalidStrategyParameter(NAME, "stop-loss", "must be in (0, 1)", stopLoss.toPlainString());
    }
    this.period = period;
    this.oversold = oversold;
    this.overbought = overbought;
    this.stopLoss = stopLoss;
  }

  static RsiReversion from(StrategyDescriptor.Values values) {
    return new RsiReversion(
        values.integer("period"), values.number("oversold"), values.number("overbought"), values.decimal("stop-loss"));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int requiredCandles() {
    return period + 1;
  }

  @Override
  public BigDecimal stopPrice(BigDecimal entryPrice) {
    return entryPrice.multiply(BigDecimal.ONE.subtract(stopLoss));
  }

  @Override
  public Signal evaluate(List<Candle> candles, Position position) {
    if (candles.isEmpty()) {
      return Signal.hold("no candles");
    }
    if (!position.isFlat()) {
      String stop = CandleSeries.stopOrTarget(CandleSeries.lastClose(candles), position.averagePrice(), stopLoss, null);
      if (stop != null) {
        return new Signal(Signal.Action.EXIT, stop);
      }
    }
    if (candles.size() < requiredCandles()) {
      return Signal.hold("warming up: " + candles.size() + " of " + requiredCandles() + " candles");
    }
    double rsi = rsi(candles);
    if (!position.isFlat()) {
      return rsi > overbought
          ? new Signal(Signal.Action.EXIT, "RSI " + CandleSeries.fmt(rsi) + " above overbought " + CandleSeries.fmt(overbought))
          : Signal.hold("holding: RSI " + CandleSeries.fmt(rsi) + " not above " + CandleSeries.fmt(overbought));
    }
    return rsi < oversold
        ? new Signal(Signal.Action.ENTER_LONG, "RSI " + CandleSeries.fmt(rsi) + " below oversold " + CandleSeries.fmt(oversold))
        : Signal.hold("RSI " + CandleSeries.fmt(rsi) + " not below " + CandleSeries.fmt(oversold));
  }

  /** The RSI at the last candle. */
  double rsi(List<Candle> candles) {
    BarSeries series = CandleSeries.of(candles);
    return new RSIIndicator(new ClosePriceIndicator(series), period).getValue(series.getEndIndex()).doubleValue();
  }
}
