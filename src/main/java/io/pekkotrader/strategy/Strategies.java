package io.pekkotrader.strategy;

import io.pekkotrader.domain.Strategy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The built-in strategies, selectable by name from config. */
public final class Strategies {
  private static final Map<String, Function<MovingAverageCrossover.Params, Strategy>> BY_NAME = new TreeMap<>();

  static {
    BY_NAME.put(MovingAverageCrossover.NAME, MovingAverageCrossover::new);
  }

  private Strategies() {}

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  public static boolean exists(String name) {
    return BY_NAME.containsKey(name);
  }

  /** The strategy called {@code name}; throws naming the known strategies when there is none. */
  public static Strategy create(String name, MovingAverageCrossover.Params params) {
    Function<MovingAverageCrossover.Params, Strategy> factory = BY_NAME.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown strategy '" + name + "', known: " + names());
    }
    return factory.apply(params);
  }
}
