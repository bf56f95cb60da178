package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.Strategies;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerTest {
  static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  /** Fixed for the sawtooth: no volatility filter (its flat candles have none) and a short warm-up. */
  static final List<String> FIXED = List.of("min-volatility=0", "volatility-window=3");

  @TempDir Path dir;

  static Optimizer.Request request(ParameterSpace space, List<Long> points, Optimizer.Objective objective, int threads) {
    Settings settings = Settings.shipped();
    return new Optimizer.Request(BTC, space, points,
        values -> BacktestSettings.setup(settings, List.of(BTC), 60_000, 250, "ma-crossover", values), objective, 70, threads);
  }

  static ParameterSpace space(String... ranged) {
    List<String> specs = new ArrayList<>(List.of(ranged));
    specs.addAll(FIXED);
    return ParameterSpace.parse(Strategies.descriptor("ma-crossover"), specs);
  }

  @Test
  void recoversTheTakeProfitTheSeriesWasBuiltForOnTrainingAndTest() throws IOException {
    List<Trade> trades = Optimizer.read(SawtoothSeries.write(dir.resolve("saw.csv"), 10), BTC);
    ParameterSpace space = space("take-profit=0.01..0.08:0.01", "fast=2..4", "slow=3..6");

    Optimizer.Outcome outcome = Optimizer.run(request(space, space.grid(), Optimizer.Objective.RETURN, 2), trades, null);

    assertEquals(8 * 3 * 4, outcome.tried());
    assertEquals(8 * 3, outcome.skipped(), "fast >= slow: (3,3), (4,3), (4,4) for every take-profit");
    assertTrue(outcome.skipReason().contains("slow"), outcome.skipReason());
    Optimizer.Row best = outcome.ranked().get(0);
    assertEquals(SawtoothSeries.BEST_TAKE_PROFIT, best.params().get("take-profit"), best.toString());
    assertTrue(best.train().trades() >= 5, "one round trip a cycle: " + best);
    // every set with the built-for take-profit beats every other, on training and on the untouched test part
    BigDecimal worstBest = null;
    BigDecimal bestOther = null;
    BigDecimal worstBestTest = null;
    BigDecimal bestOtherTest = null;
    for (Optimizer.Row row : outcome.ranked()) {
      BigDecimal train = row.train().returnPct();
      BigDecimal test = row.test().returnPct();
      if (row.params().get("take-profit").equals(SawtoothSeries.BEST_TAKE_PROFIT)) {
        worstBest = worstBest == null || train.compareTo(worstBest) < 0 ? train : worstBest;
        worstBestTest = worstBestTest == null || test.compareTo(worstBestTest) < 0 ? test : worstBestTest;
      } else {
        bestOther = bestOther == null || train.compareTo(bestOther) > 0 ? train : bestOther;
        bestOtherTest = bestOtherTest == null || test.compareTo(bestOtherTest) > 0 ? test : bestOtherTest;
      }
    }
    assertTrue(worstBest.compareTo(bestOther) > 0, worstBest + " vs " + bestOther);
    assertTrue(worstBestTest.compareTo(bestOtherTest) > 0, worstBestTest + " vs " + bestOtherTest);
    assertTrue(best.train().returnPct().signum() > 0 && best.test().returnPct().signum() > 0, best.toString());
  }

  @Test
  void theSameOptimisationGivesByteIdenticalFilesWhateverTheThreads() throws IOException {
    List<Trade> trades = Optimizer.read(SawtoothSeries.write(dir.resolve("saw.csv"), 6), BTC);
    ParameterSpace space = space("take-profit=0.02..0.06:0.01", "slow=4..6");
    OptimizeReport.Context context = new OptimizeReport.Context("ma-crossover", BTC.id(), "grid", OptimizeReport.heatmapAxes(space, List.of()));

    Optimizer.Outcome one = Optimizer.run(request(space, space.grid(), Optimizer.Objective.SHARPE, 1), trades, null);
    Optimizer.Outcome three = Optimizer.run(request(space, space.grid(), Optimizer.Objective.SHARPE, 3), trades, null);
    OptimizeReport.write(one, context, dir.resolve("one"));
    OptimizeReport.write(three, context, dir.resolve("three"));

    for (String file : List.of(OptimizeReport.RESULTS_CSV, OptimizeReport.OPTIMIZE_HTML)) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("one").resolve(file)), Files.readAllBytes(dir.resolve("three").resolve(file)), file);
    }
    List<String> csv = Files.readAllLines(dir.resolve("one").resolve(OptimizeReport.RESULTS_CSV));
    assertEquals("rank,take-profit,slow,min-volatility,volatility-window,train_return_pct,train_sharpe,train_calmar,train_max_drawdown_pct,"
        + "train_trades,train_final_balance,test_return_pct,test_sharpe,test_calmar,test_max_drawdown_pct,test_trades,test_final_balance",
        csv.get(0));
    assertEquals(1 + 5 * 3, csv.size());
  }

  @Test
  void eachSetIsTheBacktestOfItsPartAlone() throws IOException {
    List<Trade> trades = Optimizer.read(SawtoothSeries.write(dir.resolve("saw.csv"), 6), BTC);
    ParameterSpace space = space("take-profit=0.03");
    Optimizer.Request request = request(space, space.grid(), Optimizer.Objective.RETURN, 1);

    Optimizer.Outcome outcome = Optimizer.run(request, trades, null);

    Optimizer.Split split = outcome.split();
    Map<String, String> params = space.point(0);
    Backtest.Result train = Backtest.replay(request.setups().apply(params), BTC, trades.subList(0, split.trainTrades()));
    Backtest.Result test = Backtest.replay(request.setups().apply(params), BTC, trades.subList(split.trainTrades(), trades.size()));
    assertEquals(Optimizer.Metrics.of(train), outcome.ranked().get(0).train());
    assertEquals(Optimizer.Metrics.of(test), outcome.ranked().get(0).test());
    assertNotEquals(outcome.ranked().get(0).train(), outcome.ranked().get(0).test());
    // and the in-memory replay is the file backtest's
    Path file = dir.resolve("train.csv");
    List<String> lines = new ArrayList<>(SawtoothSeries.lines(6).subList(0, 1 + split.trainTrades()));
    Files.write(file, lines);
    Backtest.Result fromFile = BacktestRun.run(request.setups().apply(params), List.of(new Backtest.Feed(BTC, file)), dir.resolve("bt"),
        "ma-crossover", params, null);
    assertEquals(Optimizer.Metrics.of(fromFile), outcome.ranked().get(0).train());
    assertEquals(BacktestReport.json(fromFile, "ma-crossover", params), BacktestReport.json(train, "ma-crossover", params));
  }

  private static Trade at(long ms, int id) {
    return new Trade(String.valueOf(id), ms, BigDecimal.TEN, BigDecimal.ONE, Side.BUY);
  }

  @Test
  void theSplitIsByTimeTheFirstShareOfThePeriodTrains() {
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      trades.add(at(1_000 + i * 10L, i));
    }
    trades.add(at(1_100, 99)); // a burst at the end: the split is by time, not by count
    trades.add(at(1_100, 100));

    Optimizer.Split split = Optimizer.split(trades, 70);

    assertEquals(1_070, split.cutMs());
    assertEquals(7, split.trainTrades(), "1000..1060 train");
    assertEquals(6, split.testTrades(), "1070 (at the cut) and later test");
    assertEquals(1_000, split.firstMs());
    assertEquals(1_100, split.lastMs());
  }

  @Test
  void aSplitWithAnEmptyPartIsRefused() {
    List<Trade> sameTime = List.of(at(5_000, 1), at(5_000, 2), at(5_000, 3));
    BacktestInputException e = assertThrows(BacktestInputException.class, () -> Optimizer.split(sameTime, 70));
    assertTrue(e.getMessage().contains("too little to split"), e.getMessage());
    assertThrows(BacktestInputException.class, () -> Optimizer.split(List.of(), 70));
    assertThrows(IllegalArgumentException.class,
        () -> new Optimizer.Request(BTC, space("take-profit=0.03"), List.of(0L), v -> null, Optimizer.Objective.RETURN, 100, 1));
  }

  @Test
  void randomSamplingDrawsDistinctGridPointsTheSameForTheSameSeed() {
    ParameterSpace space = space("take-profit=0.01..0.20:0.01", "slow=3..12");

    List<Long> a = space.sample(30, 7);
    List<Long> b = space.sample(30, 7);
    List<Long> c = space.sample(30, 8);

    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(30, new HashSet<>(a).size());
    assertTrue(a.stream().allMatch(i -> i >= 0 && i < 200));
    assertEquals(space.grid(), space.sample(500, 7), "asking for more than the grid gives the grid");
    assertFalse(a.isEmpty());
  }
}
