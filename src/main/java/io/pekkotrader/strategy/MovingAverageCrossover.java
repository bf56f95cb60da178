package io.pekkotrader.strategy;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.CandleAggregator;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.Signal;
import io.pekkotrader.domain.Strategy;
import java.math.BigDecimal;
import java.util.List;

/**
 * Long-only moving-average crossover with a volatility filter.
 *
 * <ul>
 *   <li>Entry: the fast simple moving average of closes crosses above the slow one on this
 *       candle, and the standard deviation of log returns over {@code volatilityWindow} candles is
 *       at least {@code minVolatility} (no entries into a dead market).
 *   <li>Exit: close at or below average price × (1 − stopLoss), at or above average price ×
 *       (1 + takeProfit), or the fast average crosses below the slow one.
 * </ul>
 *
 * Indicators are computed in {@code double}; prices compared against the position stay exact.
 * From the engine's own candles ({@link CandleAggregator.History}) the closes are read as the
 * doubles kept beside them, without building a {@link Candle} per close; from any other list
 * through {@link BigDecimal#doubleValue()}, which gives the same numbers.
 */
public final class MovingAverageCrossover implements Strategy {
  public static final String NAME = "ma-crossover";

  /** Its registration: parameters with ranges and meaning (defaults in application.conf). */
  public static final StrategyDescriptor DESCRIPTOR =
      new StrategyDescriptor(
          NAME,
          "Long-only moving-average crossover with a volatility filter: enters when the fast SMA of closes"
              + " crosses above the slow one while volatility is high enough; exits on stop loss, take profit"
              + " or the fast SMA crossing below the slow one.",
          "max(slow, volatility-window) + 1 candles",
          java.util.List.of(
              StrategyParam.integer("fast", 1, 1000, "candles of the fast simple moving average of closes (< slow)"),
              StrategyParam.integer("slow", 2, 1000, "candles of the slow simple moving average of closes (> fast)"),
              StrategyParam.integer("volatility-window", 2, 1000, "candles of log returns whose standard deviation is the volatility"),
              StrategyParam.decimal(
                  "min-volatility", "0", true, null, false, "no entry while the volatility (std. dev. of log returns) is below this"),
              StrategyParam.decimal("stop-loss", "0", false, "1", false, "exit when the close is at or below average price * (1 - stop-loss)"),
              StrategyParam.decimal("take-profit", "0", false, null, false, "exit when the close is at or above average price * (1 + take-profit)")),
          MovingAverageCrossover::from);

  /** The strategy from checked values; the one rule between them: fast < slow. */
  static MovingAverageCrossover from(StrategyDescriptor.Values values) {
    int fast = values.integer("fast");
    int slow = values.integer("slow");
    if (slow <= fast) {
      throw new InvalidStrategyParameter(NAME, "slow", "must be > fast (" + fast + ")", String.valueOf(slow));
    }
    return new MovingAverageCrossover(
        new Params(
            fast,
            slow,
            values.integer("volatility-window"),
            values.number("min-volatility"),
            values.decimal("stop-loss"),
            values.decimal("take-profit")));
  }

  /** Parameters, validated on construction. */
  public record Params(
      int fast, int slow, int volatilityWindow, double minVolatility, BigDecimal stopLoss, BigDecimal takeProfit) {
    public Params {
      if (fast < 1 || slow <= fast) {
        throw new IllegalArgumentException("need 1 <= fast < slow, got fast=" + fast + " slow=" + slow);
      }
      if (volatilityWindow < 2) {
        throw new IllegalArgumentException("volatility window must be >= 2, got " + volatilityWindow);
      }
      if (minVolatility < 0) {
        throw new IllegalArgumentException("min volatility must be >= 0, got " + minVolatility);
      }
      if (stopLoss.signum() <= 0 || stopLoss.compareTo(BigDecimal.ONE) >= 0) {
        throw new IllegalArgumentException("stop loss must be in (0, 1), got " + stopLoss.toPlainString());
      }
      if (takeProfit.signum() <= 0) {
        throw new IllegalArgumentException("take profit must be > 0, got " + takeProfit.toPlainString());
      }
    }
  }

  private final Params params;

  public MovingAverageCrossover(Params params) {
    this.params = params;
  }

  /** Its parameters. */
  public Params params() {
    return params;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int requiredCandles() {
    return Math.max(params.slow() + 1, params.volatilityWindow() + 1);
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
      BigDecimal close = lastClose(candles);
      BigDecimal averagePrice = position.averagePrice(); // a division: once per evaluation
      BigDecimal stop = averagePrice.multiply(BigDecimal.ONE.subtract(params.stopLoss()));
      if (close.compareTo(stop) <= 0) {
        return new Signal(Signal.Action.EXIT, "stop loss: close " + close.toPlainString() + " <= " + stop.toPlainString());
      }
      BigDecimal target = averagePrice.multiply(BigDecimal.ONE.add(params.takeProfit()));
      if (close.compareTo(target) >= 0) {
        return new Signal(
            Signal.Action.EXIT, "take profit: close " + close.toPlainString() + " >= " + target.toPlainString());
      }
    }
    if (candles.size() < params.slow() + 1) {
      return Signal.hold("warming up: " + candles.size() + " of " + (params.slow() + 1) + " candles");
    }
    int last = candles.size() - 1;
    double fastNow = sma(candles, last, params.fast());
    double slowNow = sma(candles, last, params.slow());
    double fastBefore = sma(candles, last - 1, params.fast());
    double slowBefore = sma(candles, last - 1, params.slow());
    boolean crossedUp = fastBefore <= slowBefore && fastNow > slowNow;
    boolean crossedDown = fastBefore >= slowBefore && fastNow < slowNow;
    if (!position.isFlat()) {
      return crossedDown ? new Signal(Signal.Action.EXIT, "fast MA crossed below slow MA") : Signal.hold("holding");
    }
    if (!crossedUp) {
      return Signal.hold("no crossover");
    }
    if (candles.size() < params.volatilityWindow() + 1) {
      return Signal.hold("warming up volatility");
    }
    double volatility = volatility(candles, params.volatilityWindow());
    if (volatility < params.minVolatility()) {
      return Signal.hold(String.format(java.util.Locale.ROOT, "crossover ignored: volatility %.6f < %.6f", volatility, params.minVolatility()));
    }
    return new Signal(Signal.Action.ENTER_LONG, String.format(java.util.Locale.ROOT, "fast MA crossed above slow MA, volatility %.6f", volatility));
  }

  /** Simple moving average of the {@code window} closes ending at index {@code end}. */
  static double sma(List<Candle> candles, int end, int window) {
    double sum = 0;
    for (int i = end - window + 1; i <= end; i++) {
      sum += close(candles, i);
    }
    return sum / window;
  }

  /** The close of candle {@code index} as a double. */
  private static double close(List<Candle> candles, int index) {
    return candles instanceof CandleAggregator.History history
        ? history.closeAsDouble(index)
        : candles.get(index).close().doubleValue();
  }

  private static BigDecimal lastClose(List<Candle> candles) {
    int last = candles.size() - 1;
    return candles instanceof CandleAggregator.History history ? history.close(last) : candles.get(last).close();
  }

  /** Sample standard deviation of the last {@code window} log returns. */
  static double volatility(List<Candle> candles, int window) {
    int last = candles.size() - 1;
    double[] returns = new double[window];
    double mean = 0;
    for (int i = 0; i < window; i++) {
      double now = close(candles, last - i);
      double before = close(candles, last - i - 1);
      returns[i] = Math.log(now / before);
      mean += returns[i];
    }
    mean /= window;
    double squares = 0;
    for (double r : returns) {
      squares += (r - mean) * (r - mean);
    }
    return Math.sqrt(squares / (window - 1));
  }
}
