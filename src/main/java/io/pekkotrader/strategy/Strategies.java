package io.pekkotrader.strategy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.pekkotrader.domain.Strategy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The built-in strategies, chosen by name with parameters. Only the classes registered here can be
 * chosen: nothing is loaded from a directory or by class name. Each one's parameters are declared
 * by its {@link StrategyDescriptor} (type, range, meaning); their defaults are the shipped {@code
 * application.conf}'s {@code pekko-trader.strategies.<name>} block, the one place of every default.
 */
public final class Strategies {
  /** The strategy of a symbol that names none (a {@code symbols} entry or {@code POST /symbols} without one). */
  public static final String DEFAULT = MovingAverageCrossover.NAME;

  private static final Map<String, StrategyDescriptor> BY_NAME = new TreeMap<>();

  static {
    register(MovingAverageCrossover.DESCRIPTOR);
    register(RsiReversion.DESCRIPTOR);
    register(VolatilityBreakout.DESCRIPTOR);
  }

  /** The defaults of the shipped {@code application.conf}, per strategy; read once. */
  private static final Map<String, Map<String, String>> SHIPPED = readShipped();

  private Strategies() {}

  private static void register(StrategyDescriptor descriptor) {
    BY_NAME.put(descriptor.name(), descriptor);
  }

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  public static boolean exists(String name) {
    return BY_NAME.containsKey(name);
  }

  /** Every registered strategy, by name. */
  public static Collection<StrategyDescriptor> descriptors() {
    return BY_NAME.values();
  }

  /** The registered strategy called {@code name}; throws naming the known strategies when there is none. */
  public static StrategyDescriptor descriptor(String name) {
    StrategyDescriptor descriptor = name == null ? null : BY_NAME.get(name);
    if (descriptor == null) {
      throw new IllegalArgumentException("unknown strategy '" + name + "', known: " + names());
    }
    return descriptor;
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

  /**
   * The strategy called {@code name} with {@code params} (parameter name → value as written, e.g.
   * from {@code --param fast=5}); a parameter not given takes its shipped default.
   *
   * @throws IllegalArgumentException for an unknown strategy (naming the known ones); {@link
   *     InvalidStrategyParameter} for an unknown parameter or a value out of its range (naming the
   *     parameter and the range)
   */
  public static Strategy create(String name, Map<String, String> params) {
    StrategyDescriptor descriptor = descriptor(name);
    Map<String, String> values = new LinkedHashMap<>(shippedDefaults(name));
    values.putAll(params);
    return descriptor.create(values);
  }

  /** The shipped default of each parameter of strategy {@code name}, as written in application.conf. */
  public static Map<String, String> shippedDefaults(String name) {
    descriptor(name);
    return SHIPPED.getOrDefault(name, Map.of());
  }

  private static Map<String, Map<String, String>> readShipped() {
    Config shipped = ConfigFactory.parseResources("application.conf").withOnlyPath("pekko-trader.strategies").resolve();
    Map<String, Map<String, String>> defaults = new TreeMap<>();
    if (!shipped.hasPath("pekko-trader.strategies")) {
      return defaults;
    }
    Config strategies = shipped.getConfig("pekko-trader.strategies");
    for (String name : strategies.root().keySet()) {
      defaults.put(name, values(strategies.getConfig(quoted(name))));
    }
    return defaults;
  }

  /** A strategy's block as parameter name → value as written (numbers keep their text). */
  private static Map<String, String> values(Config block) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : block.root().entrySet()) {
      values.put(entry.getKey(), block.getString(quoted(entry.getKey())));
    }
    return values;
  }

  private static String quoted(String key) {
    return com.typesafe.config.ConfigUtil.joinPath(List.of(key));
  }
}
