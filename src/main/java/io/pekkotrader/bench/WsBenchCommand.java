package io.pekkotrader.bench;

import java.nio.file.Path;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.streams.WebSocketTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench ws}: simulator → loopback WebSocket → engine stream at a fixed offered rate; see {@link WsBench}. */
@Command(
    name = "ws",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the engine's market-data stream fed trades at a fixed rate over a loopback WebSocket (Binance"
          + " dialect): it decodes, de-duplicates and runs the engine's trading kernel (candles, strategy, risk, paper"
          + " fills, ledger) for every symbol.",
      "Prints the offered and sustained rates, drops (must be 0) and tick-to-decision latency from each trade's"
          + " scheduled time (corrected for coordinated omission). Exit code 0 when it ran, whether or not the targets"
          + " were met."
    })
public final class WsBenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "50000", description = "Offered trades per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--symbols", paramLabel = "N", defaultValue = "100", description = "Symbols, dividing the rate (default: ${DEFAULT-VALUE}).")
  int symbols;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "10", description = "Unmeasured seconds of the feed first (default: ${DEFAULT-VALUE}); before it, a throwaway kernel steps synthetic trades so the JIT has compiled the decision path.")
  int warmupSeconds;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--feed",
      paramLabel = "FEED",
      defaultValue = "process",
      description =
          "Where the frames come from (default: ${DEFAULT-VALUE}): process = a paced feed in a JVM of its own, so the"
              + " engine's process is measured alone; paced = the same feed in the engine's JVM; simulator = the exchange"
              + " simulator in the engine's JVM (its tape is paced on 1 ms timer ticks).")
  String feed;

  @Option(
      names = "--client",
      paramLabel = "CLIENTS",
      defaultValue = "default",
      description =
          "The engine's WebSocket client, or a comma list of them measured side by side (default: the shipped one):"
              + " netty (the others measured beside it were removed; docs/performance.md).")
  String clients;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "1",
      description = "Runs of each client, interleaved (round 1: every client once, then round 2, ...) (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
  Path json;

  @Override
  public Integer call() throws Exception {
    return BenchRun.run(spec, "bench ws", this::configs, WsBenchCommand::runAll, WsBenchCommand::tables, WsBenchCommand::toJson, json);
  }

  /** One config per run, in the order they run: the clients interleaved, round after round. */
  private List<WsBench.Config> configs() {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be >= 1; got " + rounds);
    }
    List<WebSocketTransport.Kind> kinds = new ArrayList<>();
    for (String name : clients.split(",")) {
      WebSocketTransport.Kind kind = name.strip().equals("default") ? WebSocketTransport.Kind.DEFAULT : WebSocketTransport.Kind.parse(name);
      if (kinds.contains(kind)) {
        throw new IllegalArgumentException("--client names " + kind.configName() + " twice");
      }
      kinds.add(kind);
    }
    List<WsBench.Config> all = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < kinds.size(); i++) {
        // each round starts with the next client, so no client always runs first (or right after another)
        WebSocketTransport.Kind kind = kinds.get((i + round) % kinds.size());
        all.add(new WsBench.Config(rate, symbols, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds), feed(feed), kind));
      }
    }
    return all;
  }

  /** One run's result and the machine's one-minute load just before and after it. */
  record Run(WsBench.Result result, double loadBefore, double loadAfter) {}

  private static List<Run> runAll(List<WsBench.Config> configs, java.util.function.Consumer<String> progress) throws Exception {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      WsBench.Config config = configs.get(i);
      if (configs.size() > 1) {
        progress.accept(String.format(Locale.ROOT, "run %d of %d: client %s", i + 1, configs.size(), config.client().configName()));
      }
      double before = MachineInfo.loadNow();
      WsBench.Result result = WsBench.run(config, progress);
      runs.add(new Run(result, before, MachineInfo.loadNow()));
    }
    return runs;
  }

  static String tables(List<Run> runs, MachineInfo machine, double loadAfter) {
    if (runs.size() == 1) {
      return table(runs.get(0).result(), machine, loadAfter);
    }
    StringBuilder t = new StringBuilder();
    for (Run run : runs) {
      t.append(String.format(Locale.ROOT, "---- client %s ----%n", run.result().config().client().configName()));
      t.append(table(run.result(), machine, run.loadAfter()));
      t.append(String.format(Locale.ROOT, "%n"));
    }
    t.append(String.format(Locale.ROOT, "side by side, in the order run (load = one-minute load average before -> after):%n"));
    t.append(String.format(Locale.ROOT, "%-7s %12s %8s %10s %10s %10s %12s %13s%n",
        "client", "sustained/s", "drops", "p50 us", "p99 us", "p99.9 us", "CPU us/trade", "load"));
    for (Run run : runs) {
      WsBench.Result r = run.result();
      t.append(String.format(Locale.ROOT, "%-7s %,12.0f %8d %10.1f %10.1f %10.1f %12.2f %6.2f->%.2f%n",
          r.config().client().configName(), r.sustainedRate(), r.drops(), r.fromSchedule().p50() / 1e3, r.fromSchedule().p99() / 1e3,
          r.fromSchedule().p999() / 1e3, r.engine().cpuNanosPerTrade() / 1e3, run.loadBefore(), run.loadAfter()));
    }
    return t.toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toJson(List<Run> runs, MachineInfo machine, double loadAfter) {
    if (runs.size() == 1) {
      return toJson(runs.get(0).result(), machine, loadAfter);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bench", "ws");
    List<Map<String, Object>> all = new ArrayList<>();
    for (Run run : runs) {
      Map<String, Object> one = toJson(run.result(), machine, run.loadAfter());
      ((Map<String, Object>) one.get("machine")).put("loadAverageBefore", run.loadBefore());
      all.add(one);
    }
    root.put("runs", all);
    return root;
  }


  private static WsBench.Feed feed(String name) {
    try {
      return WsBench.Feed.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--feed must be process, paced or simulator; got " + name);
    }
  }

  static String table(WsBench.Result r, MachineInfo machine, double loadAfter) {
    WsBench.Config c = r.config();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "bench ws: %,d trades/s offered over %d symbols, Binance frames over a loopback WebSocket, %d s warm-up, %d s measured%n",
        c.rate(), c.symbols(), c.warmup().toSeconds(), c.duration().toSeconds()));
    t.append(String.format(Locale.ROOT, "feed: %s; engine's WebSocket client: %s%n", describe(c.feed()), c.client().configName()));
    t.append(String.format(Locale.ROOT, "decision stage: the trading kernel, strategy %s on %d ms candles (the engine's configuration)%n",
        c.engine().strategy(), c.engine().intervalMs()));
    t.append(String.format(Locale.ROOT, "machine: %s, load %.2f -> %.2f%n%n", machine.summary(), machine.loadAverage(), loadAfter));
    t.append(String.format(Locale.ROOT, "offered   %,12.0f trades/s (generated for the window; target %,d)%n", r.offeredRate(), c.rate()));
    t.append(String.format(Locale.ROOT, "sustained %,12.0f trades/s delivered to the decision step%n", r.sustainedRate()));
    t.append(String.format(Locale.ROOT, "drops     %,12d   (disconnects %d, malformed %d)%n", r.drops(), r.disconnects(), r.malformed()));
    TradingKernel.Counts k = r.kernel();
    t.append(String.format(Locale.ROOT,
        "kernel    %,12d trades stepped (whole run): %,d decisions, %,d entries, %,d exits, %,d approved, %,d rejected, %,d fills;"
            + " %,d older than the kernel's time, not stepped%n%n",
        k.trades(), k.decisions(), k.entries(), k.exits(), k.approved(), k.rejected(), k.fills(), r.late()));
    t.append(String.format(Locale.ROOT, "%-44s %8s %8s %8s %8s %10s%n", "tick-to-decision latency (us)", "p50", "p90", "p99", "p99.9", "max"));
    t.append(row("from the scheduled time (CO-corrected)", r.fromSchedule()));
    t.append(row("from the moment the trade was generated", r.fromGeneration()));
    t.append(row("trades that closed a candle (scheduled)", r.candleClose()));
    t.append(String.format(Locale.ROOT, "%nthis JVM in the window: %.2f us CPU per trade, %.0f%% of a core; %d collections, %d ms%n",
        r.engine().cpuNanosPerTrade() / 1e3, r.engine().cpuShare() * 100, r.engine().gcPauses(), r.engine().gcMillis()));
    // the targets of the offered rate: 50,000/s, or the lighter 5,000/s case below it
    boolean full = c.rate() >= WsBench.TARGET_RATE;
    boolean rateMet = r.sustainedRate() >= c.rate() * 0.99 && r.drops() == 0;
    long p99Micros = full ? WsBench.TARGET_P99_MICROS : WsBench.TARGET_P99_MICROS_LOW_RATE;
    long cpuNanos = full ? WsBench.TARGET_CPU_NANOS_PER_TRADE : WsBench.TARGET_CPU_NANOS_PER_TRADE_LOW_RATE;
    boolean p99Met = r.fromSchedule().p99() <= p99Micros * 1_000;
    boolean cpuMet = r.engine().cpuNanosPerTrade() <= cpuNanos;
    t.append(String.format(Locale.ROOT, "%ntargets at %,d trades/s: sustained with 0 drops: %s; p99 <= %d us: %s; CPU per trade <= %d us: %s%n",
        c.rate(), rateMet ? "met" : "NOT met", p99Micros, p99Met ? "met" : "NOT met", cpuNanos / 1_000, cpuMet ? "met" : "NOT met"));
    return t.toString();
  }

  private static String describe(WsBench.Feed feed) {
    switch (feed) {
      case PROCESS:
        return "paced feed in its own JVM (the engine's process measured alone)";
      case PACED:
        return "paced feed in the engine's JVM";
      default:
        return "exchange simulator in the engine's JVM (tape paced on 1 ms timer ticks)";
    }
  }

  private static String row(String label, WsBench.Latency l) {
    return String.format(Locale.ROOT, "%-44s %8.1f %8.1f %8.1f %8.1f %10.1f%n", label,
        l.p50() / 1e3, l.p90() / 1e3, l.p99() / 1e3, l.p999() / 1e3, l.max() / 1e3);
  }

  static Map<String, Object> toJson(WsBench.Result r, MachineInfo machine, double loadAfter) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bench", "ws");
    root.put("config", Map.of(
        "rate", r.config().rate(), "symbols", r.config().symbols(), "feed", r.config().feed().name().toLowerCase(Locale.ROOT),
        "client", r.config().client().configName(),
        "strategy", r.config().engine().strategy(), "candleIntervalMs", r.config().engine().intervalMs(),
        "warmupSeconds", r.config().warmup().toSeconds(), "durationSeconds", r.config().duration().toSeconds()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processors", machine.processors());
    m.put("cpuModel", machine.cpuModel());
    m.put("jvm", machine.jvm());
    m.put("garbageCollectors", machine.garbageCollectors());
    m.put("maxHeapMb", machine.maxHeapMb());
    m.put("loadAverageBefore", machine.loadAverage());
    m.put("loadAverageAfter", loadAfter);
    root.put("machine", m);
    root.put("offeredRate", r.offeredRate());
    root.put("sustainedRate", r.sustainedRate());
    root.put("offered", r.offered());
    root.put("delivered", r.delivered());
    root.put("drops", r.drops());
    root.put("disconnects", r.disconnects());
    root.put("malformed", r.malformed());
    root.put("kernel", r.kernel());
    root.put("late", r.late());
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("fromSchedule", r.fromSchedule());
    latency.put("fromGeneration", r.fromGeneration());
    latency.put("candleClose", r.candleClose());
    root.put("latencyNanos", latency);
    root.put("engine", r.engine());
    return root;
  }
}
