package io.pekkotrader.backtest;

import io.pekkotrader.strategy.InvalidStrategyParameter;
import io.pekkotrader.strategy.StrategyDescriptor;
import io.pekkotrader.strategy.StrategyParam;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The parameter sets an optimisation tries: one axis per {@code --param} spec, the grid being
 * every combination of the axes' values. A spec is {@code name=lo..hi:step} (every value from
 * {@code lo} up to at most {@code hi}; the step may be left out for an integer parameter, then 1)
 * or {@code name=value} (one value). Each name must be a parameter of the strategy and each value
 * inside its range; parameters not given keep their configured values.
 *
 * <p>Grid points are numbered from 0 in mixed radix, the first axis varying slowest, so point
 * {@code i} is the same set on every run.
 *
 * @param axes the axes in the order given
 */
public record ParameterSpace(String strategy, List<Axis> axes) {
  /** The most parameter sets one optimisation may hold. */
  public static final long MAX_COMBINATIONS = 100_000;

  /** One parameter and the values it takes, ascending. */
  public record Axis(String name, List<BigDecimal> values) {
    public Axis {
      values = List.copyOf(values);
    }

    /** Whether it takes more than one value. */
    public boolean ranged() {
      return values.size() > 1;
    }
  }

  public ParameterSpace {
    axes = List.copyOf(axes);
  }

  /**
   * The space of {@code specs} for the strategy of {@code descriptor}.
   *
   * @throws IllegalArgumentException a spec that is badly written, names an unknown parameter or one
   *     given twice, a value out of the parameter's range, an empty range, or more than {@value
   *     #MAX_COMBINATIONS} combinations
   */
  public static ParameterSpace parse(StrategyDescriptor descriptor, List<String> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("give at least one --param NAME=LO..HI:STEP (parameters of " + descriptor.name() + ": "
          + descriptor.paramNames() + ")");
    }
    List<Axis> axes = new ArrayList<>();
    long combinations = 1;
    for (String spec : specs) {
      Axis axis = axis(descriptor, spec);
      if (axes.stream().anyMatch(a -> a.name().equals(axis.name()))) {
        throw new IllegalArgumentException("--param " + spec + ": " + axis.name() + " is given twice");
      }
      axes.add(axis);
      combinations *= axis.values().size();
      if (combinations > MAX_COMBINATIONS) {
        throw new IllegalArgumentException("the parameters make more than " + MAX_COMBINATIONS
            + " combinations; narrow the ranges or widen the steps");
      }
    }
    return new ParameterSpace(descriptor.name(), axes);
  }

  private static Axis axis(StrategyDescriptor descriptor, String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--param '" + spec + "' is not NAME=LO..HI:STEP or NAME=VALUE");
    }
    String name = spec.substring(0, eq).strip();
    String range = spec.substring(eq + 1).strip();
    StrategyParam param = descriptor.param(name);
    if (param == null) {
      throw new IllegalArgumentException(
          "--param " + spec + ": " + name + " is not a parameter of " + descriptor.name() + " (known: " + descriptor.paramNames() + ")");
    }
    int dots = range.indexOf("..");
    if (dots < 0) {
      return new Axis(name, List.of(value(descriptor, param, spec, range)));
    }
    int colon = range.indexOf(':', dots);
    BigDecimal lo = value(descriptor, param, spec, range.substring(0, dots));
    BigDecimal hi = value(descriptor, param, spec, colon < 0 ? range.substring(dots + 2) : range.substring(dots + 2, colon));
    BigDecimal step;
    if (colon < 0) {
      if (param.type() != StrategyParam.Type.INT) {
        throw new IllegalArgumentException("--param " + spec + ": a decimal range needs a step, as LO..HI:STEP");
      }
      step = BigDecimal.ONE;
    } else {
      step = number(spec, range.substring(colon + 1));
    }
    if (step.signum() <= 0) {
      throw new IllegalArgumentException("--param " + spec + ": the step must be > 0");
    }
    if (param.type() == StrategyParam.Type.INT && step.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("--param " + spec + ": " + name + " is an integer, so its step must be one too");
    }
    if (hi.compareTo(lo) < 0) {
      throw new IllegalArgumentException("--param " + spec + ": the range is empty (" + hi.toPlainString() + " < " + lo.toPlainString() + ")");
    }
    BigDecimal count = hi.subtract(lo).divideToIntegralValue(step).add(BigDecimal.ONE);
    if (count.compareTo(BigDecimal.valueOf(MAX_COMBINATIONS)) > 0) {
      throw new IllegalArgumentException("--param " + spec + ": more than " + MAX_COMBINATIONS + " values; widen the step");
    }
    List<BigDecimal> values = new ArrayList<>();
    for (BigDecimal v = lo; v.compareTo(hi) <= 0; v = v.add(step)) {
      values.add(v);
    }
    return new Axis(name, values);
  }

  private static BigDecimal value(StrategyDescriptor descriptor, StrategyParam param, String spec, String text) {
    number(spec, text);
    try {
      return param.parse(descriptor.name(), text.strip());
    } catch (InvalidStrategyParameter e) {
      throw new IllegalArgumentException("--param " + spec + ": " + e.getMessage(), e);
    }
  }

  private static BigDecimal number(String spec, String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--param " + spec + ": '" + text.strip() + "' is not a number (write NAME=LO..HI:STEP or NAME=VALUE)");
    }
  }

  /** How many parameter sets the grid holds. */
  public long size() {
    long n = 1;
    for (Axis axis : axes) {
      n *= axis.values().size();
    }
    return n;
  }

  /** The axes that take more than one value, in the order given. */
  public List<Axis> ranged() {
    return axes.stream().filter(Axis::ranged).toList();
  }

  /** Grid point {@code index} as parameter name → value as written, in the order of the axes. */
  public Map<String, String> point(long index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("point " + index + " of " + size());
    }
    int[] at = coordinates(index);
    Map<String, String> params = new LinkedHashMap<>();
    for (int a = 0; a < axes.size(); a++) {
      params.put(axes.get(a).name(), axes.get(a).values().get(at[a]).toPlainString());
    }
    return params;
  }

  /** The value index on each axis of grid point {@code index}. */
  int[] coordinates(long index) {
    int[] at = new int[axes.size()];
    long rest = index;
    for (int a = axes.size() - 1; a >= 0; a--) {
      int n = axes.get(a).values().size();
      at[a] = (int) (rest % n);
      rest /= n;
    }
    return at;
  }

  /** Every grid point's index, ascending. */
  public List<Long> grid() {
    List<Long> all = new ArrayList<>();
    for (long i = 0; i < size(); i++) {
      all.add(i);
    }
    return all;
  }

  /**
   * {@code samples} distinct grid points drawn by a {@link SplittableRandom} of {@code seed} (all of
   * them when the grid holds no more), ascending: the same seed draws the same points.
   */
  public List<Long> sample(int samples, long seed) {
    if (samples <= 0) {
      throw new IllegalArgumentException("--samples must be > 0, got " + samples);
    }
    int n = (int) size();
    if (samples >= n) {
      return grid();
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < samples; i++) {
      int j = i + random.nextInt(n - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    List<Long> picked = new ArrayList<>(samples);
    for (int i = 0; i < samples; i++) {
      picked.add((long) order[i]);
    }
    Collections.sort(picked);
    return picked;
  }
}
