package io.pekkotrader.app;

import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.strategy.StrategyDescriptor;
import io.pekkotrader.strategy.StrategyParam;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strategies}: the registered strategies with their parameters, defaults, ranges and meaning. */
@Command(
    name = "strategies",
    mixinStandardHelpOptions = true,
    description = {
      "List the built-in strategies: for each, what it does, its warm-up, and every parameter with its shipped default,"
          + " the values it accepts and what it means.",
      "A symbol names its strategy; the parameters are set under pekko-trader.strategies.<name>.<parameter>."
    })
public final class StrategiesCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Show only this strategy.")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (name != null && !Strategies.exists(name)) {
      spec.commandLine().getErr().println(Strategies.problem(name));
      return Main.EXIT_USAGE;
    }
    List<StrategyDescriptor> shown =
        Strategies.descriptors().stream().filter(d -> name == null || d.name().equals(name)).toList();
    for (int i = 0; i < shown.size(); i++) {
      if (i > 0) {
        out.println();
      }
      print(shown.get(i), out);
    }
    out.flush();
    return 0;
  }

  private static void print(StrategyDescriptor descriptor, PrintWriter out) {
    out.println(descriptor.name() + (descriptor.name().equals(Strategies.DEFAULT) ? " (the default)" : ""));
    out.println("  " + descriptor.description());
    out.println("  warm-up: " + descriptor.warmUp());
    Map<String, String> defaults = Strategies.shippedDefaults(descriptor.name());
    int nameWidth = "parameter".length();
    int defaultWidth = "default".length();
    int rangeWidth = "range".length();
    for (StrategyParam param : descriptor.params()) {
      nameWidth = Math.max(nameWidth, param.name().length());
      defaultWidth = Math.max(defaultWidth, defaults.getOrDefault(param.name(), "").length());
      rangeWidth = Math.max(rangeWidth, param.range().length());
    }
    String row = "  %-" + nameWidth + "s  %-" + defaultWidth + "s  %-" + rangeWidth + "s  %s%n";
    out.printf(row, "parameter", "default", "range", "meaning");
    for (StrategyParam param : descriptor.params()) {
      out.printf(row, param.name(), defaults.getOrDefault(param.name(), ""), param.range(), param.meaning());
    }
  }
}
