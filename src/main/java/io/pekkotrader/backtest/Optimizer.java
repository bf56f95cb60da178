package io.pekkotrader.backtest;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Many backtests of one strategy over a {@link ParameterSpace}, each parameter set judged
 * walk-forward: the trades are split by time into a training part (the first {@code trainPct} % of
 * the period) and a test part (the rest); each set runs as two fresh backtests ({@link
 * Backtest#replay}, the kernel and figures of {@code backtest}), one per part. Sets are ranked on the
 * training part only, and the test part's figures stand beside them untouched, so a set that was
 * fitted to noise shows by falling away on the test part.
 *
 * <p>The trades are read once into memory (a few hundred bytes a trade). The backtests share nothing
 * (each has its own kernel and strategy), so they run on a fixed pool of threads; the ranking
 * (objective descending, a missing figure last, then grid order) does not depend on which finished
 * first, so the same input gives the same results.
 */
public final class Optimizer {
  /** What the sets are ranked by, on the training part. */
  public enum Objective {
    SHARPE,
    RETURN,
    CALMAR;

    /** {@code sharpe}, {@code return} or {@code calmar}. */
    public static Objective parse(String text) {
      for (Objective o : values()) {
        if (o.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
          return o;
        }
      }
      throw new IllegalArgumentException("--objective '" + text + "' is not one of sharpe, return, calmar");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The figures of one backtest over one part, as {@code report.json} computes them ({@link
   * BacktestReport}); a figure that cannot be computed is null.
   */
  public record Metrics(BigDecimal returnPct, BigDecimal sharpe, BigDecimal calmar, BigDecimal maxDrawdownPct, long trades,
      BigDecimal finalBalance) {
    static Metrics of(Backtest.Result result) {
      BacktestReport.Summary m = BacktestReport.summary(result);
      return new Metrics(m.totalReturnPct, BacktestReport.ratio(m.sharpe), BacktestReport.ratio(m.calmar), m.maxDrawdownPct,
          result.roundTrips().size(), m.end);
    }

    /** The figure {@code objective} ranks by. */
    public BigDecimal value(Objective objective) {
      return switch (objective) {
        case SHARPE -> sharpe;
        case RETURN -> returnPct;
        case CALMAR -> calmar;
      };
    }
  }

  /**
   * One parameter set's outcome.
   *
   * @param index its grid point
   * @param params the parameters varied, name → value as written, in the order of the axes
   */
  public record Row(long index, Map<String, String> params, Metrics train, Metrics test) {}

  /**
   * Where the trades split.
   *
   * @param cutMs the first time of the test part: trades before it train, the rest test
   */
  public record Split(long firstMs, long cutMs, long lastMs, int trainTrades, int testTrades) {}

  /**
   * The outcome of an optimisation.
   *
   * @param ranked every set evaluated, best on the training part first
   * @param tried how many sets were drawn from the grid
   * @param skipped sets the strategy refused (such as fast >= slow), not run
   * @param skipReason why the first skipped set was refused, or null
   */
  public record Outcome(ParameterSpace space, Objective objective, Split split, List<Row> ranked, long tried, long skipped,
      String skipReason) {}

  /** Told how many sets are done out of how many, on the calling thread. */
  public interface Progress {
    void update(long done, long total);
  }

  /**
   * What to optimise.
   *
   * @param setups the backtest setup of a parameter set (over the configured values); throws
   *     IllegalArgumentException for a set the strategy refuses
   * @param points the grid points to try ({@link ParameterSpace#grid} or {@link ParameterSpace#sample})
   * @param trainPct the share of the period, by time, that trains: 1 to 99
   */
  public record Request(SymbolId symbol, ParameterSpace space, List<Long> points, Function<Map<String, String>, Backtest.Setup> setups,
      Objective objective, int trainPct, int threads) {
    public Request {
      points = List.copyOf(points);
      if (trainPct < 1 || trainPct > 99) {
        throw new IllegalArgumentException("--train must be 1% to 99%, got " + trainPct + "%");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      }
    }
  }

  private Optimizer() {}

  /** Reads {@code file}'s trades of {@code symbol} into memory, checked as {@code backtest} checks them. */
  public static List<Trade> read(Path file, SymbolId symbol) {
    List<Trade> trades = new ArrayList<>();
    try (TradeFile in = TradeFile.open(file, symbol.symbol())) {
      for (Trade t = in.next(); t != null; t = in.next()) {
        trades.add(t);
      }
    }
    return trades;
  }

  /**
   * Where {@code trades} (in time order) split: the first {@code trainPct} % of the time from the
   * first trade to the last trains.
   *
   * @throws BacktestInputException either part holds no trade
   */
  public static Split split(List<Trade> trades, int trainPct) {
    if (trades.isEmpty()) {
      throw new BacktestInputException("no trades to optimise over");
    }
    long first = trades.get(0).timestampMs();
    long last = trades.get(trades.size() - 1).timestampMs();
    long cut = first + Math.floorDiv((last - first) * trainPct, 100L);
    if (cut == first) {
      cut = first + 1;
    }
    int lo = 0;
    int hi = trades.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (trades.get(mid).timestampMs() < cut) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == 0 || lo == trades.size()) {
      throw new BacktestInputException("the trades span " + (last - first) + " ms, too little to split " + trainPct
          + "% / " + (100 - trainPct) + "% by time with trades on both sides");
    }
    return new Split(first, cut, last, lo, trades.size() - lo);
  }

  /** Runs the request over {@code trades} (in time order). */
  public static Outcome run(Request request, List<Trade> trades, Progress progress) throws IOException {
    Split split = split(trades, request.trainPct());
    List<Trade> train = trades.subList(0, split.trainTrades());
    List<Trade> test = trades.subList(split.trainTrades(), trades.size());
    ExecutorService pool = Executors.newFixedThreadPool(request.threads(), runnable -> {
      Thread thread = new Thread(runnable, "optimize");
      thread.setDaemon(true);
      return thread;
    });
    try {
      ExecutorCompletionService<Evaluated> done = new ExecutorCompletionService<>(pool);
      for (long index : request.points()) {
        done.submit(() -> evaluate(request, index, train, test));
      }
      List<Row> rows = new ArrayList<>();
      long skipped = 0;
      long firstSkip = Long.MAX_VALUE;
      String skipReason = null;
      int total = request.points().size();
      for (int i = 0; i < total; i++) {
        Evaluated e = take(done);
        if (e.row() != null) {
          rows.add(e.row());
        } else {
          skipped++;
          if (e.index() < firstSkip) {
            firstSkip = e.index();
            skipReason = e.skipReason();
          }
        }
        if (progress != null) {
          progress.update(i + 1, total);
        }
      }
      rows.sort(ranking(request.objective()));
      return new Outcome(request.space(), request.objective(), split, List.copyOf(rows), total, skipped, skipReason);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Objective on the training part descending, a missing figure last, then grid order. */
  static Comparator<Row> ranking(Objective objective) {
    Comparator<BigDecimal> best = Comparator.nullsLast(Comparator.<BigDecimal>reverseOrder());
    return Comparator.comparing((Row r) -> r.train().value(objective), best).thenComparingLong(Row::index);
  }

  private record Evaluated(long index, Row row, String skipReason) {}

  private static Evaluated evaluate(Request request, long index, List<Trade> train, List<Trade> test) throws IOException {
    Map<String, String> params = request.space().point(index);
    Backtest.Setup trainSetup;
    Backtest.Setup testSetup;
    try {
      trainSetup = request.setups().apply(params);
      testSetup = request.setups().apply(params);
    } catch (IllegalArgumentException e) {
      return new Evaluated(index, null, e.getMessage());
    }
    Metrics trainMetrics = Metrics.of(Backtest.replay(trainSetup, request.symbol(), train));
    Metrics testMetrics = Metrics.of(Backtest.replay(testSetup, request.symbol(), test));
    return new Evaluated(index, new Row(index, params, trainMetrics, testMetrics), null);
  }

  private static Evaluated take(ExecutorCompletionService<Evaluated> done) throws IOException {
    Future<Evaluated> next;
    try {
      next = done.take();
      return next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while optimising", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }
}
