package io.pekkotrader.app;

import io.pekkotrader.backtest.BacktestInputException;
import io.pekkotrader.backtest.BacktestSettings;
import io.pekkotrader.backtest.OptimizeReport;
import io.pekkotrader.backtest.Optimizer;
import io.pekkotrader.backtest.ParameterSpace;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.Strategies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code optimize}: many backtests of one strategy over parameter ranges, ranked on a training part and shown on a test part. */
@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = {
      "Backtest a strategy over ranges of its parameters, in parallel, walk-forward: the first --train % of the period (by time) ranks"
          + " the parameter sets, the rest is the untouched test part shown beside it. Writes results.csv and optimize.html into --out.",
      "Ranges: --param NAME=LO..HI:STEP (or NAME=VALUE); the other parameters keep their configured values. Parameter sets the"
          + " strategy refuses (such as fast >= slow) are skipped and counted.",
      "Exit codes: 0 done, 2 bad input, flags or configuration, or an output that cannot be written (nothing written)."
    })
public final class OptimizeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--trades", paramLabel = "FILE", required = true, description = "A file of recorded trades (any format backtest reads).")
  Path trades;

  @Option(names = "--symbol", paramLabel = "S", required = true, description = "Its symbol, as SYMBOL (binance) or venue:SYMBOL.")
  String symbol;

  @Option(names = "--strategy", paramLabel = "NAME", description = "The strategy (default: the engine's default strategy).")
  String strategy;

  @Option(names = "--param", paramLabel = "NAME=LO..HI:STEP", description = "A parameter's range, or NAME=VALUE; repeatable.")
  List<String> params = new ArrayList<>();

  @Option(names = "--objective", paramLabel = "sharpe|return|calmar", defaultValue = "sharpe",
      description = "What ranks the sets on the training part (default: ${DEFAULT-VALUE}).")
  String objective;

  @Option(names = "--train", paramLabel = "PCT", defaultValue = "70%", description = "The share of the period that trains (default: ${DEFAULT-VALUE}).")
  String train;

  @Option(names = "--method", paramLabel = "grid|random", defaultValue = "grid",
      description = "Every combination, or --samples of them drawn with --seed (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--samples", paramLabel = "N", description = "How many sets --method random draws.")
  Integer samples;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The seed of --method random (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "Backtests at once (default: the number of processors).")
  Integer threads;

  @Option(names = "--heatmap", paramLabel = "A,B", split = ",", description = "The two parameters of the heat maps (default: the first two ranged).")
  List<String> heatmap = new ArrayList<>();

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m", description = "Candle interval (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--latency", paramLabel = "DURATION",
      description = "Time from a decision to its order reaching the venue (default: paper.fill-delay).")
  String latency;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "optimize-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose values override the defaults.")
  Path configFile;

  private final Map<String, String> env;

  public OptimizeCommand() {
    this(System.getenv());
  }

  OptimizeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    CommandSettings.Loaded loaded = CommandSettings.load(env, Map.of(), configFile, err);
    if (loaded == null) {
      return BacktestCommand.EXIT_BAD_INPUT;
    }
    Settings settings = loaded.settings();
    String name = strategy != null ? strategy : Strategies.DEFAULT;
    try {
      ParameterSpace space = ParameterSpace.parse(Strategies.descriptor(name), params);
      Optimizer.Objective goal = Optimizer.Objective.parse(objective);
      int trainPct = percent(train);
      List<String> heatAxes = OptimizeReport.heatmapAxes(space, heatmap);
      List<Long> points;
      String methodText;
      switch (method.toLowerCase(Locale.ROOT)) {
        case "grid" -> {
          if (samples != null) {
            throw new IllegalArgumentException("--samples goes with --method random");
          }
          points = space.grid();
          methodText = "grid, " + points.size() + " sets";
        }
        case "random" -> {
          if (samples == null) {
            throw new IllegalArgumentException("--method random needs --samples N");
          }
          points = space.sample(samples, seed);
          methodText = "random, " + points.size() + " of " + space.size() + " sets, seed " + seed;
        }
        default -> throw new IllegalArgumentException("--method '" + method + "' is not grid or random");
      }
      SymbolId id = BacktestCommand.symbol(symbol);
      long intervalMs = BacktestCommand.millis("--interval", interval);
      long latencyMs = latency == null ? settings.paper().fillDelay().toMillis() : BacktestCommand.millis("--latency", latency);
      // checks the settings and the strategy's configured values once, before any trade is read
      BacktestSettings.setup(settings, List.of(id), intervalMs, latencyMs, name, Map.of());
      Optimizer.Request request = new Optimizer.Request(id, space, points,
          values -> BacktestSettings.setup(settings, List.of(id), intervalMs, latencyMs, name, values), goal, trainPct,
          threads != null ? threads : Runtime.getRuntime().availableProcessors());
      List<Trade> all = Optimizer.read(trades, id);
      Progress progress = System.console() != null ? new Progress(err) : null;
      Optimizer.Outcome outcome = Optimizer.run(request, all, progress);
      if (progress != null) {
        progress.done();
      }
      if (outcome.ranked().isEmpty()) {
        throw new IllegalArgumentException("the strategy refused every parameter set (" + outcome.skipped() + "), e.g. " + outcome.skipReason());
      }
      OptimizeReport.write(outcome, new OptimizeReport.Context(name, id.id(), methodText, heatAxes), out);
      Optimizer.Row best = outcome.ranked().get(0);
      stdout.printf(Locale.ROOT, "optimize: %d sets evaluated, %d skipped; best on training %s: %s (train %s %s, test %s %s)%n",
          outcome.ranked().size(), outcome.skipped(), goal.label(), best.params(), goal.label(), text(best.train().value(goal)),
          goal.label(), text(best.test().value(goal)));
      stdout.println("wrote " + OptimizeReport.RESULTS_CSV + ", " + OptimizeReport.OPTIMIZE_HTML + " into " + out);
      stdout.flush();
      return 0;
    } catch (BacktestInputException | IllegalArgumentException e) {
      err.println("optimize: " + e.getMessage());
      return BacktestCommand.EXIT_BAD_INPUT;
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("optimize: cannot read or write: " + e.getMessage());
      return BacktestCommand.EXIT_BAD_INPUT;
    }
  }

  /** {@code 70%} or {@code 70}: a whole percentage from 1 to 99. */
  static int percent(String text) {
    String digits = text.strip().endsWith("%") ? text.strip().substring(0, text.strip().length() - 1).strip() : text.strip();
    int pct;
    try {
      pct = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--train '" + text + "' is not a whole percentage such as 70%");
    }
    if (pct < 1 || pct > 99) {
      throw new IllegalArgumentException("--train must be 1% to 99%, got " + text);
    }
    return pct;
  }

  private static String text(java.math.BigDecimal value) {
    return value == null ? "–" : value.toPlainString();
  }

  /** A one-line progress bar on stderr (only on a terminal): sets done of all, rate and ETA. */
  private static final class Progress implements Optimizer.Progress {
    private final PrintWriter err;
    private final long startNs = System.nanoTime();
    private long lastPrintNs;

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void update(long done, long total) {
      long now = System.nanoTime();
      if (now - lastPrintNs < 250_000_000L && done < total) {
        return;
      }
      lastPrintNs = now;
      double seconds = Math.max(1e-9, (now - startNs) / 1e9);
      double fraction = total <= 0 ? 1 : done / (double) total;
      long eta = done == 0 ? -1 : Math.round(seconds / fraction - seconds);
      int filled = (int) Math.round(fraction * 30);
      char[] bar = new char[30];
      Arrays.fill(bar, 0, filled, '#');
      Arrays.fill(bar, filled, 30, ' ');
      err.printf(Locale.ROOT, "\r[%s] %5.1f%% %,d/%,d sets, %,.1f sets/s, ETA %s   ", new String(bar), fraction * 100, done, total,
          done / seconds, eta < 0 ? "?" : eta + " s");
      err.flush();
    }

    void done() {
      err.println();
    }
  }
}
