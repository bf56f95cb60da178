package io.pekkotrader.strategy;

import io.pekkotrader.domain.Strategy;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A registered strategy: its name, what it does, how many candles it needs before it may enter,
 * its parameters, and how it is built from checked values. Only the descriptors that {@link
 * Strategies} registers can be chosen; nothing is loaded from outside the build.
 *
 * @param warmUp how its warm-up follows from its parameters, in words
 * @param factory builds the strategy from values that passed every parameter's range check; throws
 *     {@link InvalidStrategyParameter} for a rule between parameters
 */
public record StrategyDescriptor(
    String name, String description, String warmUp, List<StrategyParam> params, Function<Values, Strategy> factory) {

  public StrategyDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(warmUp, "warmUp");
    params = List.copyOf(params);
    Objects.requireNonNull(factory, "factory");
  }

  /** The parameter called {@code param}, or null. */
  public StrategyParam param(String param) {
    return params.stream().filter(p -> p.name().equals(param)).findFirst().orElse(null);
  }

  /** The parameter names in declaration order. */
  public List<String> paramNames() {
    return params.stream().map(StrategyParam::name).toList();
  }

  /**
   * The strategy with {@code values} (parameter name → value as written): every parameter must be
   * given, none unknown, each in its range.
   *
   * @throws InvalidStrategyParameter for the first parameter that is not
   */
  public Strategy create(Map<String, String> values) {
    for (String given : values.keySet()) {
      if (param(given) == null) {
        throw new InvalidStrategyParameter(name, given, "is not a parameter of it (known: " + paramNames() + ")", values.get(given));
      }
    }
    Map<String, BigDecimal> checked = new LinkedHashMap<>();
    for (StrategyParam param : params) {
      checked.put(param.name(), param.parse(name, values.get(param.name())));
    }
    return factory.apply(new Values(name, checked));
  }

  /** Checked parameter values, read by the factory. */
  public record Values(String strategy, Map<String, BigDecimal> values) {
    public Values {
      values = Map.copyOf(values);
    }

    public BigDecimal decimal(String param) {
      BigDecimal value = values.get(param);
      if (value == null) {
        throw new IllegalStateException("strategy " + strategy + " reads parameter " + param + ", which it does not declare");
      }
      return value;
    }

    public int integer(String param) {
      return decimal(param).intValueExact();
    }

    /** For an indicator threshold, which strategies compare in double. */
    public double number(String param) {
      return decimal(param).doubleValue();
    }
  }
}
