package io.pekkotrader.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.pekkotrader.engine.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench heap}: the heap one idle SymbolTrader holds, candles included; see {@link HeapBench}. */
@Command(
    name = "heap",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the heap one idle SymbolTrader holds, its candles included.",
      "Starts N sharded, event-sourced SymbolTraders (H2 journal in a temporary directory), fills each one's candle"
          + " history, lets them go idle and measures the live heap (class histogram after a full collection) with"
          + " none, half and all of them. Prints the bytes per SymbolTrader and where they go, by class."
    })
public final class HeapBenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--symbols", paramLabel = "N", defaultValue = "10000", description = "SymbolTraders to start (default: ${DEFAULT-VALUE}).")
  int symbols;

  @Option(names = "--candles", paramLabel = "N",
      description = "Closed candles each one holds (default: trading.candle-history of the shipped configuration).")
  Integer candles;

  @Option(names = "--trades-per-candle", paramLabel = "N", defaultValue = "4", description = "Trades per candle (default: ${DEFAULT-VALUE}).")
  int tradesPerCandle;

  @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "5", description = "Idle time before each measurement (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
  Path json;

  @Override
  public Integer call() throws Exception {
    return BenchRun.run(
        spec,
        "bench heap",
        () -> new HeapBench.Config(
            symbols, candles != null ? candles : Settings.shipped().trading().candleHistory(), tradesPerCandle, idleSeconds),
        HeapBench::run,
        HeapBenchCommand::table,
        HeapBenchCommand::toJson,
        json);
  }


  static String table(HeapBench.Result r, MachineInfo machine, double loadAfter) {
    HeapBench.Config c = r.config();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT,
        "bench heap: %,d idle SymbolTraders (sharded, event-sourced, H2 journal on disk), %,d closed candles of %d trades each%n",
        c.symbols(), c.candles(), c.tradesPerCandle()));
    t.append(String.format(Locale.ROOT, "machine: %s, compressed oops %s, load %.2f -> %.2f%n",
        machine.summary(), compressedOops(), machine.loadAverage(), loadAfter));
    t.append(String.format(Locale.ROOT, "JVM arguments: %s%n%n", jvmArguments().isEmpty() ? "(none)" : String.join(" ", jvmArguments())));
    t.append(String.format(Locale.ROOT, "%-24s %10s %22s %22s%n", "", "entities", "live heap (histogram)", "used after System.gc()"));
    for (Object[] row : new Object[][] {{"none", r.none()}, {"half", r.half()}, {"all", r.all()}}) {
      HeapBench.Measurement m = (HeapBench.Measurement) row[1];
      t.append(String.format(Locale.ROOT, "%-24s %,10d %18s MiB %18s MiB%n", row[0], m.entities(),
          m.liveBytes() < 0 ? "n/a" : megabytes(m.liveBytes()), megabytes(m.usedBytes())));
    }
    t.append(String.format(Locale.ROOT, "%nper SymbolTrader: %,.0f bytes (none -> all), %,.0f bytes (half -> all, the marginal one), %,.0f bytes by the heap used%n",
        r.bytesPerEntity(), r.marginalBytesPerEntity(), r.usedBytesPerEntity()));
    if (!r.categories().isEmpty()) {
      t.append(String.format(Locale.ROOT, "%n%-64s %12s %12s%n", "where it goes, per SymbolTrader (none -> all)", "bytes", "objects"));
      for (HeapBench.Share share : r.categories()) {
        t.append(String.format(Locale.ROOT, "%-64s %,12.0f %,12.1f%n", share.name(), share.bytes(), share.instances()));
      }
      t.append(String.format(Locale.ROOT, "%n%-64s %12s %12s%n", "largest classes, per SymbolTrader", "bytes", "objects"));
      for (HeapBench.Share share : r.classes()) {
        t.append(String.format(Locale.ROOT, "%-64s %,12.0f %,12.1f%n", abbreviate(share.name()), share.bytes(), share.instances()));
      }
    }
    HeapBench.Checks k = r.checks();
    t.append(String.format(Locale.ROOT, "%nchecks: %,d of %,d READY without an order, %,d with %,d closed candles, %,d validated after recovery; %,d trades sent in %.1f s%n",
        k.ready(), k.entities(), k.fullHistory(), c.candles(), k.validated(), k.trades(), r.fillSeconds()));
    return t.toString();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%,.1f", bytes / (1024.0 * 1024.0));
  }

  private static String abbreviate(String className) {
    return className.length() <= 64 ? className : className.substring(0, 61) + "...";
  }

  /** The JVM's command-line options (heap settings among them). */
  static List<String> jvmArguments() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments();
  }

  /** Whether references are 4 bytes, which halves the size of every reference field and array slot. */
  static String compressedOops() {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("UseCompressedOops").getValue();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  static Map<String, Object> toJson(HeapBench.Result r, MachineInfo machine, double loadAfter) {
    HeapBench.Config c = r.config();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("bench", "heap");
    root.put("config", ordered(
        "symbols", c.symbols(), "candles", c.candles(), "tradesPerCandle", c.tradesPerCandle(), "idleSeconds", c.idleSeconds(),
        "candleIntervalMs", r.trading().candleInterval().toMillis(), "snapshotEvery", r.trading().snapshotEvery()));
    root.put("machine", ordered(
        "processors", machine.processors(), "cpuModel", machine.cpuModel(), "jvm", machine.jvm(),
        "garbageCollectors", machine.garbageCollectors(), "maxHeapMb", machine.maxHeapMb(), "compressedOops", compressedOops(),
        "jvmArguments", jvmArguments(), "loadAverageBefore", machine.loadAverage(), "loadAverageAfter", loadAfter));
    root.put("measurements", List.of(measurement("none", r.none()), measurement("half", r.half()), measurement("all", r.all())));
    root.put("bytesPerEntity", r.bytesPerEntity());
    root.put("marginalBytesPerEntity", r.marginalBytesPerEntity());
    root.put("usedBytesPerEntity", r.usedBytesPerEntity());
    root.put("categories", r.categories().stream().map(HeapBenchCommand::share).toList());
    root.put("classes", r.classes().stream().map(HeapBenchCommand::share).toList());
    HeapBench.Checks k = r.checks();
    root.put("checks", ordered(
        "entities", k.entities(), "ready", k.ready(), "fullHistory", k.fullHistory(), "validated", k.validated(),
        "trades", k.trades(), "fillSeconds", r.fillSeconds()));
    return root;
  }

  private static Map<String, Object> measurement(String label, HeapBench.Measurement m) {
    return ordered("label", label, "entities", m.entities(), "liveBytes", m.liveBytes(), "usedBytes", m.usedBytes());
  }

  private static Map<String, Object> share(HeapBench.Share share) {
    return ordered("name", share.name(), "bytes", share.bytes(), "instances", share.instances());
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
