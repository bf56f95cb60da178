package io.pekkotrader.app;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.pekkotrader.backtest.Backtest;
import io.pekkotrader.backtest.BacktestInputException;
import io.pekkotrader.backtest.BacktestRun;
import io.pekkotrader.backtest.BacktestSettings;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.Strategies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backtest}: recorded trades through the engine's trading kernel, into candles, fills, equity and a report. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description = {
      "Replay recorded trades through the engine's own trading kernel (candles, strategy, risk, portfolio, paper fills) with the time"
          + " of the data, and write candles.csv, fills.csv, equity.csv, report.json and report.html into --out.",
      "Trades files: the engine's trades CSV, Binance public trade dumps (spot or futures, .zip, .gz or plain) or raw WebSocket frames"
          + " of binance, bybit or kraken (one per line). Repeat --trades with --symbol to trade several symbols in one portfolio.",
      "Exit codes: 0 done, 2 bad input or configuration, or an output that cannot be written (nothing written)."
    })
public final class BacktestCommand implements Callable<Integer> {
  /** Exit code: bad input, flags or configuration, or an output that cannot be written; nothing was written. */
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--trades", paramLabel = "FILE", required = true,
      description = "A file of recorded trades; repeat for several files (each with its --symbol, or all of one --symbol).")
  List<Path> trades = new ArrayList<>();

  @Option(names = "--symbol", paramLabel = "S", required = true,
      description = "The symbol of the --trades file at the same position, as SYMBOL (binance) or venue:SYMBOL.")
  List<String> symbols = new ArrayList<>();

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m", description = "Candle interval (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--strategy", paramLabel = "NAME", description = "The strategy (default: the engine's default strategy).")
  String strategy;

  @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A strategy parameter; repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--latency", paramLabel = "DURATION",
      description = "Time from a decision to its order reaching the venue, and between partial fills (default: paper.fill-delay).")
  String latency;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "backtest-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose values override the defaults.")
  Path configFile;

  private final Map<String, String> env;

  public BacktestCommand() {
    this(System.getenv());
  }

  BacktestCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    CommandSettings.Loaded loaded = CommandSettings.load(env, Map.of(), configFile, err);
    if (loaded == null) {
      return EXIT_BAD_INPUT;
    }
    Settings settings = loaded.settings();
    String name = strategy != null ? strategy : Strategies.DEFAULT;
    try {
      List<Backtest.Feed> feeds = feeds();
      List<SymbolId> ids = feeds.stream().map(Backtest.Feed::symbol).toList();
      long intervalMs = millis("--interval", interval);
      long latencyMs = latency == null ? settings.paper().fillDelay().toMillis() : millis("--latency", latency);
      Backtest.Setup setup = BacktestSettings.setup(settings, ids, intervalMs, latencyMs, name, params);
      Progress progress = System.console() != null ? new Progress(err) : null;
      Backtest.Result result = BacktestRun.run(setup, feeds, out, name, params, progress);
      if (progress != null) {
        progress.done();
      }
      stdout.println(summaryLine(result));
      stdout.println("wrote " + String.join(", ", List.of(Backtest.CANDLES, Backtest.FILLS, Backtest.EQUITY, BacktestRun.REPORT_JSON,
          BacktestRun.REPORT_HTML)) + " into " + out);
      return 0;
    } catch (BacktestInputException | IllegalArgumentException e) {
      err.println("backtest: " + e.getMessage());
      return EXIT_BAD_INPUT;
    } catch (IOException | java.io.UncheckedIOException e) {
      err.println("backtest: cannot read or write: " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
  }

  /** The files and their symbols: paired by position, or every file of the one symbol given. */
  private List<Backtest.Feed> feeds() {
    if (symbols.size() != trades.size() && symbols.size() != 1) {
      throw new IllegalArgumentException(
          "give one --symbol for every --trades file (in the same order), or one --symbol for all of them; got " + trades.size()
              + " files and " + symbols.size() + " symbols");
    }
    List<Backtest.Feed> feeds = new ArrayList<>();
    for (int i = 0; i < trades.size(); i++) {
      feeds.add(new Backtest.Feed(symbol(symbols.get(symbols.size() == 1 ? 0 : i)), trades.get(i)));
    }
    return feeds;
  }

  /** {@code SYMBOL} (a Binance symbol) or {@code venue:SYMBOL}. */
  static SymbolId symbol(String text) {
    String id = text.contains(":") ? text : "binance:" + text;
    int colon = id.indexOf(':');
    return SymbolId.parse(id.substring(0, colon).toLowerCase(Locale.ROOT) + id.substring(colon).toUpperCase(Locale.ROOT));
  }

  /** A HOCON duration ({@code 1m}, {@code 250ms}, {@code 1h}) in milliseconds. */
  static long millis(String flag, String text) {
    try {
      return ConfigFactory.parseMap(Map.of("d", text)).getDuration("d").toMillis();
    } catch (ConfigException e) {
      throw new IllegalArgumentException(flag + " '" + text + "' is not a duration (e.g. 1m, 15m, 1h, 250ms)");
    }
  }

  private static String summaryLine(Backtest.Result r) {
    return String.format(Locale.ROOT, "backtest: %,d trades replayed, %,d fills, %d round trips, equity %s -> %s",
        r.trades(), r.fills(), r.roundTrips().size(), r.startingCash().toPlainString(),
        r.setup().kernel().precision().round(r.finalEquity()).toPlainString());
  }

  /** A one-line progress bar on stderr (only on a terminal): trades done, trades/s, percent of the bytes and ETA. */
  private static final class Progress implements Backtest.Progress {
    private final PrintWriter err;
    private final long startNs = System.nanoTime();
    private long lastPrintNs;

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void update(long trades, long bytesRead, long bytesTotal) {
      long now = System.nanoTime();
      if (now - lastPrintNs < 250_000_000L) {
        return;
      }
      lastPrintNs = now;
      double seconds = Math.max(1e-9, (now - startNs) / 1e9);
      double fraction = bytesTotal <= 0 ? 0 : Math.min(1, bytesRead / (double) bytesTotal);
      long eta = fraction <= 0 ? -1 : Math.round(seconds / fraction - seconds);
      int filled = (int) Math.round(fraction * 30);
      err.printf(Locale.ROOT, "\r[%s%s] %5.1f%% %,d trades, %,.0f trades/s, ETA %s   ", "#".repeat(filled), " ".repeat(30 - filled),
          fraction * 100, trades, trades / seconds, eta < 0 ? "?" : eta + " s");
      err.flush();
    }

    void done() {
      err.println();
    }
  }
}
