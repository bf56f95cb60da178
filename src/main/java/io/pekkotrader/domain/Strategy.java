package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * Decides on each closed candle. Implementations are pure functions of their inputs: no clock,
 * no I/O, no state between calls, so backtest and live runs take the same decisions.
 */
public interface Strategy {

  /** The name it is selected by in config and shown in the API. */
  String name();

  /** How many closed candles it needs before it can signal an entry. */
  int requiredCandles();

  /**
   * @param candles closed candles, oldest first (may be fewer than {@link #requiredCandles()})
   * @param position the symbol's current position (flat when none)
   * @return the decision; {@link Signal.Action#HOLD} when nothing is to be done
   */
  Signal evaluate(List<Candle> candles, Position position);

  /**
   * Where this strategy would cut the loss of a long entered at {@code entryPrice}; the risk
   * check on the maximum loss per trade uses it. Null when the strategy has no stop, which that
   * check rejects.
   */
  BigDecimal stopPrice(BigDecimal entryPrice);
}
