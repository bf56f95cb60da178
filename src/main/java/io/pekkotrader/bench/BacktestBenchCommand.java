package io.pekkotrader.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench backtest}: trades per second of a one-symbol backtest, end to end; see {@link BacktestBench}. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a one-symbol backtest end to end (read and parse a trades CSV, the trading kernel, write candles, fills and equity)"
          + " over a generated random walk, and a read-only pass over the same file.",
      "Prints trades/s (median of the measured rounds). Exit code 0 when it ran, whether or not the target was met."
    })
public final class BacktestBenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--trades", paramLabel = "N", defaultValue = "5000000", description = "Trades in the generated file (default: ${DEFAULT-VALUE}).")
  int trades;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Unmeasured rounds first (default: ${DEFAULT-VALUE}).")
  int warmupRounds;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "Measured rounds; the median is reported (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the generated walk (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "60000", description = "Candle interval in ms (default: ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
  Path json;

  @Override
  public Integer call() throws Exception {
    return BenchRun.run(
        spec,
        "bench backtest",
        () -> new BacktestBench.Config(trades, warmupRounds, rounds, seed, intervalMs),
        BacktestBench::run,
        BacktestBenchCommand::table,
        BacktestBenchCommand::toJson,
        json);
  }

  static String table(BacktestBench.Result r, MachineInfo machine, double loadAfter) {
    BacktestBench.Config c = r.config();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "bench backtest: 1 symbol, %,d trades (%,d bytes), %d ms candles, %d warm-up + %d measured rounds (median)%n",
        c.trades(), r.fileBytes(), c.intervalMs(), c.warmupRounds(), c.rounds()));
    t.append(String.format(Locale.ROOT, "machine: %s, load %.2f -> %.2f%n%n", machine.summary(), machine.loadAverage(), loadAfter));
    t.append(String.format(Locale.ROOT, "%-34s %,16d trades/s%n", "read and parse only", Math.round(r.readTradesPerSecond())));
    t.append(String.format(Locale.ROOT, "%-34s %,16d trades/s%n", "backtest end to end", Math.round(r.backtestTradesPerSecond())));
    t.append(String.format(Locale.ROOT, "%ncounts: %,d decisions, %,d fills, %,d round trips%n", r.decisions(), r.fills(), r.roundTrips()));
    t.append(String.format(Locale.ROOT, "target: >= %,d trades/s end to end: %s%n", BacktestBench.TARGET_TRADES_PER_SECOND,
        r.meetsTarget() ? "met" : "NOT met"));
    return t.toString();
  }

  static Map<String, Object> toJson(BacktestBench.Result r, MachineInfo machine, double loadAfter) {
    BacktestBench.Config c = r.config();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bench", "backtest");
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("trades", c.trades());
    config.put("warmupRounds", c.warmupRounds());
    config.put("rounds", c.rounds());
    config.put("seed", c.seed());
    config.put("intervalMs", c.intervalMs());
    config.put("fileBytes", r.fileBytes());
    root.put("config", config);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processors", machine.processors());
    m.put("cpuModel", machine.cpuModel());
    m.put("jvm", machine.jvm());
    m.put("maxHeapMb", machine.maxHeapMb());
    m.put("loadAverageBefore", machine.loadAverage());
    m.put("loadAverageAfter", loadAfter);
    root.put("machine", m);
    root.put("readTradesPerSecond", r.readTradesPerSecond());
    root.put("backtestTradesPerSecond", r.backtestTradesPerSecond());
    root.put("counts", Map.of("decisions", r.decisions(), "fills", r.fills(), "roundTrips", r.roundTrips()));
    root.put("target", Map.of("tradesPerSecond", BacktestBench.TARGET_TRADES_PER_SECOND, "met", r.meetsTarget()));
    return root;
  }
}
