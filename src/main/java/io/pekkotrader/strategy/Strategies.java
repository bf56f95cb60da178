package io.pekkotrader.strategy;

import io.pekkotrader.domain.Strategy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The built-in strategies, selectable by name from config. */
public final class Strategies {
  /** The strategy of a symbol that names none (a {@code symbols} entry or {@code POST /symbols} without one). */
  public static final String DEFAULT = MovingAverageCrossover.NAME;

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

  /**
   * Why a symbol listed with strategy {@code name} cannot trade, or null when it can: the check
   * that every listing passes before it is persisted, and that an entity makes again on start for
   * listings persisted before (or around) that check.
   */
  public static String problem(String name) {
    if (name == null || name.isBlank()) {
      return "no strategy is named (known: " + names() + ")";
    }
    return exists(name) ? null : "unknown strategy '" + name + "' (known: " + names() + ")";
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
