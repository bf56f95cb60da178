package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a symbol should do after new candles closed or the clock moved: pure, so the actor only
 * persists the answer. At most one step per call; the actor calls again after it persisted it.
 */
public final class TradingDecisions {

  /** Sizing and timing inputs that do not change per call. */
  public record Params(BigDecimal orderNotional, BigDecimal lotStep, long cooldownMs) {}

  /** One step to take. */
  public sealed interface Step {}

  /** Enough candles: leave WARMING_UP. */
  public record CompleteWarmUp(int candles) implements Step {}

  /** Open a long position. {@code clientOrderId} is left for the actor to derive. */
  public record Enter(Side side, BigDecimal quantity, BigDecimal referencePrice, String reason) implements Step {}

  /** Close the whole position. */
  public record Exit(BigDecimal quantity, BigDecimal referencePrice, String reason) implements Step {}

  /** The cooldown is over. */
  public record EndCooldown() implements Step {}

  /** Nothing to do; {@code why} says why (for the symbol view; logged when it is news, see {@link #isNews}). */
  public record Nothing(String why) implements Step {}

  private TradingDecisions() {}

  /**
   * Whether a decision's text tells something the last one did not, figures aside: "warming up:
   * 3 of 9 candles" after "2 of 9" is no news, "holding" after "no crossover" is. A symbol logs
   * its decision only when it is news, not on every candle.
   */
  public static boolean isNews(String last, String next) {
    return last == null || !sameWithoutFigures(last, next);
  }

  /**
   * Whether the two texts are equal once every figure (digits, optionally a point and more
   * digits, as the regular expression {@code \d+(\.\d+)?} finds them) counts as the same
   * token. Walks both texts in step, without building either: this runs on every closed candle.
   */
  static boolean sameWithoutFigures(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      boolean figureA = isDigit(ca);
      if (figureA != isDigit(cb)) {
        return false;
      }
      if (figureA) {
        i = figureEnd(a, i);
        j = figureEnd(b, j);
      } else if (ca != cb) {
        return false;
      } else {
        i++;
        j++;
      }
    }
    return i == a.length() && j == b.length();
  }

  /** The end of the figure starting at {@code from}: digits, then a point and digits if both follow. */
  private static int figureEnd(String text, int from) {
    int i = from;
    while (i < text.length() && isDigit(text.charAt(i))) {
      i++;
    }
    if (i + 1 < text.length() && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
      i += 2;
      while (i < text.length() && isDigit(text.charAt(i))) {
        i++;
      }
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * @param state the persisted state
   * @param candles closed candles, oldest first
   * @param lastPrice the last trade price (null before the first trade)
   * @param strategy the symbol's strategy
   * @param nowMs the clock
   */
  public static Step next(
      SymbolState state, List<Candle> candles, BigDecimal lastPrice, Strategy strategy, Params params, long nowMs) {
    if (state.flattenPending()) {
      return flatten(state, lastPrice);
    }
    if (lastPrice == null) {
      return new Nothing("no trade yet");
    }
    switch (state.phase()) {
      case WARMING_UP:
        return candles.size() >= strategy.requiredCandles()
            ? new CompleteWarmUp(candles.size())
            : new Nothing("warming up: " + candles.size() + " of " + strategy.requiredCandles() + " candles");
      case COOLDOWN:
        return nowMs >= state.cooldownUntilMs() ? new EndCooldown() : new Nothing("cooling down");
      case READY:
        return entry(candles, lastPrice, strategy, params);
      case IN_POSITION:
        return state.position().isFlat() ? new Nothing("flat") : exit(state, candles, lastPrice, strategy);
      case HALTED:
        // entries are still proposed so that risk's kill_switch rejections show them in the audit trail
        return state.position().isFlat()
            ? entry(candles, lastPrice, strategy, params)
            : exit(state, candles, lastPrice, strategy);
      default:
        return new Nothing("phase " + state.phase());
    }
  }

  /**
   * An operator's flatten: exit the whole position at once, whatever the strategy says, as soon
   * as no order is working; nothing else (no entry) while it is pending.
   */
  private static Step flatten(SymbolState state, BigDecimal lastPrice) {
    boolean canExit =
        state.order() == null
            && !state.position().isFlat()
            && (state.phase() == SymbolPhase.IN_POSITION || state.phase() == SymbolPhase.HALTED);
    if (!canExit) {
      return new Nothing("flattening: waiting for " + (state.order() != null ? "order " + state.order().clientOrderId() : "phase " + state.phase()));
    }
    BigDecimal price = lastPrice != null ? lastPrice : state.position().averagePrice();
    return new Exit(state.position().quantity(), price, "flatten: " + state.flattenReason());
  }

  private static Step entry(List<Candle> candles, BigDecimal lastPrice, Strategy strategy, Params params) {
    if (candles.size() < strategy.requiredCandles()) {
      return new Nothing("warming up after restart: " + candles.size() + " of " + strategy.requiredCandles() + " candles");
    }
    Signal signal = strategy.evaluate(candles, Position.FLAT);
    if (signal.action() != Signal.Action.ENTER_LONG) {
      return new Nothing(signal.reason());
    }
    BigDecimal quantity = OrderSizing.quantityFor(params.orderNotional(), lastPrice, params.lotStep());
    if (quantity.signum() == 0) {
      return new Nothing("order notional buys less than one lot at " + lastPrice.toPlainString());
    }
    return new Enter(Side.BUY, quantity, lastPrice, signal.reason());
  }

  private static Step exit(SymbolState state, List<Candle> candles, BigDecimal lastPrice, Strategy strategy) {
    Signal signal = strategy.evaluate(candles, state.position());
    if (signal.action() != Signal.Action.EXIT) {
      return new Nothing(signal.reason());
    }
    return new Exit(state.position().quantity(), lastPrice, signal.reason());
  }
}
