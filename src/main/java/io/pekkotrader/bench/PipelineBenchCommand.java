package io.pekkotrader.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench pipeline}: decode → route → the trading kernel, against raw Jackson parsing; see {@link PipelineBench}. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Measure decode -> route -> the trading kernel (candles, decision, risk, paper fill, ledger) over recorded-shape Binance trade frames, in one"
          + " thread, against a raw Jackson streaming parse of the same frames.",
      "Prints frames/s, the ratio and tick-to-decision latency percentiles. Exit code 0 when it ran, whether or not"
          + " the targets were met."
    })
public final class PipelineBenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--symbols", paramLabel = "N", defaultValue = "100", description = "Symbols the frames are spread over (default: ${DEFAULT-VALUE}).")
  int symbols;

  @Option(names = "--frames", paramLabel = "N", defaultValue = "3000000", description = "Frames per pass (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Unmeasured rounds first (default: ${DEFAULT-VALUE}).")
  int warmupRounds;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Measured rounds; the median is reported (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the generated market (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
  Path json;

  @Override
  public Integer call() throws Exception {
    return BenchRun.run(
        spec,
        "bench pipeline",
        () -> new PipelineBench.Config(symbols, frames, warmupRounds, rounds, seed, EngineDecisionSettings.shipped()),
        PipelineBench::run,
        PipelineBenchCommand::table,
        PipelineBenchCommand::toJson,
        json);
  }


  static String table(PipelineBench.Result r, MachineInfo machine, double loadAfter) {
    PipelineBench.Config c = r.config();
    PipelineBench.Counts n = r.counts();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "bench pipeline: %,d symbols, %,d frames of %.0f bytes (UTF-8) on average, %d warm-up + %d measured rounds (median)%n",
        c.symbols(), c.frames(), r.averageFrameBytes(), c.warmupRounds(), c.rounds()));
    t.append(String.format(Locale.ROOT, "machine: %s, load %.2f -> %.2f%n%n", machine.summary(), machine.loadAverage(), loadAfter));
    t.append(String.format(Locale.ROOT, "%-28s %18s %18s%n", "", "wall clock", "thread CPU time"));
    t.append(String.format(Locale.ROOT, "%-28s %14s f/s %14s f/s%n", "raw Jackson parse",
        frames(r.rawParse().framesPerSecond()), frames(r.rawParse().framesPerCpuSecond())));
    t.append(String.format(Locale.ROOT, "%-28s %14s f/s %14s f/s%n", "decode -> decision",
        frames(r.endToEnd().framesPerSecond()), frames(r.endToEnd().framesPerCpuSecond())));
    t.append(String.format(Locale.ROOT, "%-28s %18.3f %18.3f%n%n", "ratio end to end / raw", r.ratio(), r.cpuRatio()));
    t.append(String.format(Locale.ROOT, "%-32s %8s %8s %8s %8s %8s %10s%n", "tick-to-decision latency (us)", "p50", "p90", "p99", "p99.9", "p99.99", "max"));
    t.append(latencyRow("every frame", r.everyFrame()));
    t.append(latencyRow("frames that closed a candle", r.candleClose()));
    t.append(String.format(Locale.ROOT, "%ncounts: %,d trades, %,d decisions, %,d entries, %,d exits, %,d approved, %,d rejected by risk, %,d fills, %,d of %,d symbols ready, %,d ignored, %,d malformed, %,d unrouted%n",
        n.trades(), n.decisions(), n.entries(), n.exits(), n.approved(), n.rejected(), n.fills(), n.readySymbols(), c.symbols(), n.ignored(),
        n.malformed(), n.unrouted()));
    t.append(String.format(Locale.ROOT, "targets (wall clock): >= %,d frames/s end to end: %s; ratio >= %.1f: %s%n",
        PipelineBench.TARGET_FRAMES_PER_SECOND, r.meetsThroughputTarget() ? "met" : "NOT met",
        PipelineBench.TARGET_RATIO, r.meetsRatioTarget() ? "met" : "NOT met"));
    return t.toString();
  }

  private static String frames(double perSecond) {
    return String.format(Locale.ROOT, "%,d", Math.round(perSecond));
  }

  private static String latencyRow(String label, PipelineBench.Latency l) {
    return String.format(Locale.ROOT, "%-32s %8.2f %8.2f %8.2f %8.2f %8.2f %10.2f%n", label,
        l.p50() / 1e3, l.p90() / 1e3, l.p99() / 1e3, l.p999() / 1e3, l.p9999() / 1e3, l.max() / 1e3);
  }

  static Map<String, Object> toJson(PipelineBench.Result r, MachineInfo machine, double loadAfter) {
    PipelineBench.Config c = r.config();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bench", "pipeline");
    root.put("config", ordered(
        "symbols", c.symbols(), "frames", c.frames(), "warmupRounds", c.warmupRounds(), "rounds", c.rounds(), "seed", c.seed(),
        "candleIntervalMs", c.intervalMs(), "candleHistory", c.history(), "tradesPerCandle", RecordedShapeFrames.TRADES_PER_CANDLE,
        "averageFrameBytes", r.averageFrameBytes()));
    root.put("machine", ordered(
        "processors", machine.processors(), "cpuModel", machine.cpuModel(), "jvm", machine.jvm(),
        "garbageCollectors", machine.garbageCollectors(), "maxHeapMb", machine.maxHeapMb(),
        "loadAverageBefore", machine.loadAverage(), "loadAverageAfter", loadAfter));
    root.put("rawParse", rate(r.rawParse()));
    root.put("endToEnd", rate(r.endToEnd()));
    root.put("ratio", r.ratio());
    root.put("cpuRatio", r.cpuRatio());
    root.put("latencyNanos", ordered("everyFrame", latency(r.everyFrame()), "candleClose", latency(r.candleClose())));
    PipelineBench.Counts n = r.counts();
    root.put("counts", ordered(
        "frames", n.frames(), "trades", n.trades(), "decisions", n.decisions(), "entries", n.entries(), "exits", n.exits(),
        "approved", n.approved(), "rejected", n.rejected(), "fills", n.fills(), "readySymbols", n.readySymbols(), "ignored", n.ignored(), "malformed", n.malformed(),
        "unrouted", n.unrouted(), "rawTokens", n.rawTokens()));
    root.put("targets", ordered(
        "framesPerSecond", PipelineBench.TARGET_FRAMES_PER_SECOND, "ratio", PipelineBench.TARGET_RATIO,
        "framesPerSecondMet", r.meetsThroughputTarget(), "ratioMet", r.meetsRatioTarget()));
    return root;
  }

  private static Map<String, Object> rate(PipelineBench.Rate rate) {
    return ordered(
        "framesPerSecond", rate.framesPerSecond(), "rounds", rate.rounds(),
        "framesPerCpuSecond", rate.framesPerCpuSecond(), "cpuRounds", rate.cpuRounds());
  }

  private static Map<String, Object> latency(PipelineBench.Latency l) {
    return ordered("count", l.count(), "p50", l.p50(), "p90", l.p90(), "p99", l.p99(), "p999", l.p999(), "p9999", l.p9999(), "max", l.max());
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
