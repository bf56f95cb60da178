package io.pekkotrader.strategy;

/**
 * A strategy parameter that is unknown, missing, not a number of its type, out of its range, or at
 * odds with another parameter (such as {@code slow <= fast}). The message names the strategy, the
 * parameter and the rule; {@link #parameter()} lets a configuration reader report it at its key.
 */
public final class InvalidStrategyParameter extends IllegalArgumentException {
  private final String strategy;
  private final String parameter;
  private final String rule;
  private final String got;

  /**
   * @param rule what the value must be, e.g. {@code must be in 2..500}
   * @param got the value given as written, or null when none was
   */
  public InvalidStrategyParameter(String strategy, String parameter, String rule, String got) {
    super(
        "strategy " + strategy + ": parameter " + parameter + " " + rule + (got == null ? "" : ", got \"" + got + "\""));
    this.strategy = strategy;
    this.parameter = parameter;
    this.rule = rule;
    this.got = got;
  }

  public String strategy() {
    return strategy;
  }

  public String parameter() {
    return parameter;
  }

  /** What the value must be, without the strategy and parameter names. */
  public String rule() {
    return rule;
  }

  /** The value as given, or null. */
  public String got() {
    return got;
  }
}
