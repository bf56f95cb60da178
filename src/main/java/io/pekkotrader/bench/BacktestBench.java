package io.pekkotrader.bench;

import io.pekkotrader.backtest.Backtest;
import io.pekkotrader.backtest.BacktestSettings;
import io.pekkotrader.backtest.TradeFile;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.engine.Settings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code bench backtest}: a backtest of one symbol over a generated trades CSV (a seeded random walk
 * in the engine's format, about ten trades a second), timed end to end: reading and parsing the
 * file, the trading kernel (candles, strategy, risk, paper fills, ledger) and writing the output.
 * A read-only pass over the same file says how much of that is reading. The median of the measured
 * rounds is reported.
 */
final class BacktestBench {
  /** The target of the issue: trades per second of one symbol, end to end. */
  static final long TARGET_TRADES_PER_SECOND = 1_000_000;

  record Config(int trades, int warmupRounds, int rounds, long seed, long intervalMs) {
    Config {
      if (trades < 1000 || warmupRounds < 0 || rounds < 1 || intervalMs <= 0) {
        throw new IllegalArgumentException("need --trades >= 1000, --warmup >= 0, --rounds >= 1, --interval > 0");
      }
    }
  }

  record Result(Config config, long fileBytes, double readTradesPerSecond, double backtestTradesPerSecond, long fills, long roundTrips,
      long decisions) {
    boolean meetsTarget() {
      return backtestTradesPerSecond >= TARGET_TRADES_PER_SECOND;
    }
  }

  private BacktestBench() {}

  static Result run(Config config, Consumer<String> progress) throws IOException {
    Path dir = Files.createTempDirectory("bench-backtest-");
    try {
      Path trades = dir.resolve("trades.csv");
      progress.accept("writing " + config.trades() + " trades");
      generate(trades, config.trades(), config.seed());
      SymbolId symbol = SymbolId.parse("binance:BTCUSDT");
      Backtest.Setup setup =
          BacktestSettings.setup(Settings.shipped(), List.of(symbol), config.intervalMs(), 20, "ma-crossover", Map.of());
      double[] read = new double[config.rounds()];
      double[] full = new double[config.rounds()];
      Backtest.Result last = null;
      for (int round = -config.warmupRounds(); round < config.rounds(); round++) {
        long start = System.nanoTime();
        long n = readAll(trades);
        double readRate = n / ((System.nanoTime() - start) / 1e9);
        Path out = Files.createDirectory(dir.resolve("out" + (round + config.warmupRounds())));
        start = System.nanoTime();
        last = Backtest.run(setup, List.of(new Backtest.Feed(symbol, trades)), out, null);
        double fullRate = last.trades() / ((System.nanoTime() - start) / 1e9);
        progress.accept(String.format(java.util.Locale.ROOT, "%s round: read %,.0f trades/s, backtest %,.0f trades/s",
            round < 0 ? "warm-up" : "measured", readRate, fullRate));
        if (round >= 0) {
          read[round] = readRate;
          full[round] = fullRate;
        }
        delete(out);
      }
      return new Result(config, Files.size(trades), median(read), median(full), last.fills(), last.roundTrips().size(),
          last.decisions().size());
    } finally {
      delete(dir);
    }
  }

  private static long readAll(Path file) {
    long n = 0;
    try (TradeFile in = TradeFile.open(file, "BTCUSDT")) {
      for (Trade t = in.next(); t != null; t = in.next()) {
        n++;
      }
    }
    return n;
  }

  /** A random walk of {@code n} trades in the engine's CSV, prices in cents, a few trades a second. */
  static void generate(Path file, int n, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    long t = 1_700_000_000_000L;
    long cents = 6_000_000;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(TradeFile.ENGINE_HEADER);
      out.write('\n');
      StringBuilder line = new StringBuilder(64);
      for (int i = 0; i < n; i++) {
        t += random.nextInt(200);
        cents = Math.max(100, cents + random.nextInt(-300, 301));
        line.setLength(0);
        line.append(t).append(',').append(BigDecimal.valueOf(cents, 2).toPlainString()).append(',')
            .append(BigDecimal.valueOf(1 + random.nextInt(100_000), 5).toPlainString()).append(',')
            .append(random.nextBoolean() ? "buy" : "sell").append(',').append(i + 1).append('\n');
        out.write(line.toString());
      }
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  private static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
