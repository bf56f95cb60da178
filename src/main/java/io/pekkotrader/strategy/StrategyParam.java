package io.pekkotrader.strategy;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One parameter of a built-in strategy: its name (the config key under {@code
 * pekko-trader.strategies.<strategy>} and the {@code --param} name), its type, the range of values
 * it accepts and what it means. Its default is not here: it lives in the shipped {@code
 * application.conf}, the one place of every default (see {@link Strategies#shippedDefaults}).
 *
 * @param min the lowest value accepted; {@code minInclusive} false: values must be above it
 * @param max the highest value accepted, null for no upper bound; {@code maxInclusive} false:
 *     values must be below it
 */
public record StrategyParam(
    String name, Type type, BigDecimal min, boolean minInclusive, BigDecimal max, boolean maxInclusive, String meaning) {

  /** How a value is written and read. */
  public enum Type {
    /** A whole number (a count of candles). */
    INT,
    /** An exact decimal (a fraction, a factor or a level); strategies may compute with it as a double. */
    DECIMAL
  }

  public StrategyParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(meaning, "meaning");
  }

  /** An integer in {@code min..max}, both included. */
  public static StrategyParam integer(String name, int min, int max, String meaning) {
    return new StrategyParam(name, Type.INT, BigDecimal.valueOf(min), true, BigDecimal.valueOf(max), true, meaning);
  }

  /** A decimal between {@code min} and {@code max} (null: no upper bound), each bound included or not. */
  public static StrategyParam decimal(
      String name, String min, boolean minInclusive, String max, boolean maxInclusive, String meaning) {
    return new StrategyParam(
        name, Type.DECIMAL, new BigDecimal(min), minInclusive, max == null ? null : new BigDecimal(max), maxInclusive, meaning);
  }

  /** The accepted values in interval notation, e.g. {@code 2..500}, {@code (0, 1)}, {@code >= 0}. */
  public String range() {
    if (type == Type.INT) {
      return min.toPlainString() + ".." + max.toPlainString();
    }
    if (max == null) {
      return (minInclusive ? ">= " : "> ") + min.toPlainString();
    }
    return (minInclusive ? "[" : "(") + min.toPlainString() + ", " + max.toPlainString() + (maxInclusive ? "]" : ")");
  }

  /**
   * The value {@code text} stands for, checked against the type and the range.
   *
   * @throws InvalidStrategyParameter naming this parameter and its range when it is not a value of it
   */
  public BigDecimal parse(String strategy, String text) {
    if (text == null) {
      throw invalid(strategy, "must be set", null);
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw invalid(strategy, type == Type.INT ? "must be an integer" : "must be a decimal number", text);
    }
    if (type == Type.INT && value.stripTrailingZeros().scale() > 0) {
      throw invalid(strategy, "must be an integer", text);
    }
    int low = value.compareTo(min);
    boolean aboveMin = minInclusive ? low >= 0 : low > 0;
    boolean belowMax = max == null || (maxInclusive ? value.compareTo(max) <= 0 : value.compareTo(max) < 0);
    if (!aboveMin || !belowMax) {
      throw invalid(strategy, "must be in " + range(), text);
    }
    return value;
  }

  private InvalidStrategyParameter invalid(String strategy, String rule, String got) {
    return new InvalidStrategyParameter(strategy, name, rule, got);
  }
}
