package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.engine.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {
  static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");
  static final long INTERVAL_MS = 60_000;
  static final long LATENCY_MS = 250;
  /** A quick crossover, so that a few hours of trades make many decisions. */
  static final Map<String, String> PARAMS = Map.of("fast", "2", "slow", "5", "volatility-window", "3", "min-volatility", "0");

  @TempDir Path dir;

  static Backtest.Setup setup(List<SymbolId> symbols) {
    return BacktestSettings.setup(Settings.shipped(), symbols, INTERVAL_MS, LATENCY_MS, "ma-crossover", PARAMS);
  }

  /** A seeded random walk in the engine's trades CSV: about one trade every 2 s for {@code trades} trades. */
  static List<String> walk(long seed, int trades, double startPrice) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    lines.add(TradeFile.ENGINE_HEADER);
    long t = 1_700_000_000_000L;
    double price = startPrice;
    for (int i = 0; i < trades; i++) {
      t += random.nextInt(4000);
      price *= 1 + random.nextGaussian() * 0.001;
      lines.add(t + "," + String.format(java.util.Locale.ROOT, "%.2f", price) + "," + (1 + random.nextInt(500)) / 1000.0 + ","
          + (random.nextBoolean() ? "buy" : "sell") + "," + (i + 1));
    }
    return lines;
  }

  private Path file(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
  }

  private Backtest.Result run(Path trades, Path out) throws IOException {
    return BacktestRun.run(setup(List.of(BTC)), List.of(new Backtest.Feed(BTC, trades)), out, "ma-crossover", PARAMS, null);
  }

  @Test
  void theSameInputAndParametersWriteByteIdenticalFiles() throws IOException {
    Path trades = file("trades.csv", walk(1, 6000, 60000));

    Backtest.Result first = run(trades, dir.resolve("a"));
    run(trades, dir.resolve("b"));

    assertTrue(first.roundTrips().size() >= 3, "the run trades: " + first.roundTrips().size());
    for (String name : BacktestRun.OUTPUT_FILES) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(name)), Files.readAllBytes(dir.resolve("b").resolve(name)), name);
    }
  }

  @Test
  void changingTradesAfterADecisionChangesNeitherItNorAnythingBeforeIt() throws IOException {
    List<String> original = walk(2, 6000, 60000);
    Backtest.Result before = run(file("original.csv", original), dir.resolve("original"));
    assertTrue(before.decisions().size() >= 6, "decisions: " + before.decisions().size());
    Backtest.Decision decision = before.decisions().get(before.decisions().size() / 2);
    long t = decision.atMs();

    // every trade after the decision's time gets another price and quantity
    List<String> changed = new ArrayList<>();
    changed.add(original.get(0));
    Random random = new Random(99);
    int altered = 0;
    for (String line : original.subList(1, original.size())) {
      String[] f = line.split(",");
      if (Long.parseLong(f[0]) > t) {
        f[1] = String.format(java.util.Locale.ROOT, "%.2f", Double.parseDouble(f[1]) * (0.97 + random.nextDouble() * 0.06));
        f[2] = "0.777";
        altered++;
      }
      changed.add(String.join(",", f));
    }
    assertTrue(altered > 100);
    Backtest.Result after = run(file("changed.csv", changed), dir.resolve("changed"));

    List<Backtest.Decision> upToT = before.decisions().stream().filter(d -> d.atMs() <= t).toList();
    assertTrue(upToT.contains(decision));
    assertEquals(upToT, after.decisions().stream().filter(d -> d.atMs() <= t).toList());
    assertEquals(rowsUpTo(dir.resolve("original").resolve(Backtest.FILLS), t, 0),
        rowsUpTo(dir.resolve("changed").resolve(Backtest.FILLS), t, 0));
    assertEquals(rowsUpTo(dir.resolve("original").resolve(Backtest.EQUITY), t, 0),
        rowsUpTo(dir.resolve("changed").resolve(Backtest.EQUITY), t, 0));
    assertEquals(rowsUpTo(dir.resolve("original").resolve(Backtest.CANDLES), t + 1, INTERVAL_MS),
        rowsUpTo(dir.resolve("changed").resolve(Backtest.CANDLES), t + 1, INTERVAL_MS));
    // and the change does show after it, so the comparison above compares something
    assertNotEquals(Files.readAllLines(dir.resolve("original").resolve(Backtest.EQUITY)),
        Files.readAllLines(dir.resolve("changed").resolve(Backtest.EQUITY)));
  }

  /** The data rows whose first column plus {@code span} is at most {@code t} (candles: those that closed by then). */
  private static List<String> rowsUpTo(Path csv, long t, long span) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> Long.parseLong(l.split(",")[0]) + span <= t).toList();
    assertFalse(rows.isEmpty(), csv + " has rows up to " + t);
    return rows;
  }

  @Test
  void anOrderFillsAgainstTheFirstTradeAtOrAfterDecisionPlusLatency() throws IOException {
    List<String> lines = walk(3, 4000, 60000);
    Backtest.Result result = run(file("trades.csv", lines), dir.resolve("out"));
    List<String> fills = Files.readAllLines(dir.resolve("out").resolve(Backtest.FILLS));
    assertTrue(result.decisions().size() >= 4);

    for (int i = 0; i < 4; i++) {
      Backtest.Decision decision = result.decisions().get(i);
      String[] fill = fills.get(i + 1).split(",");
      assertEquals(decision.clientOrderId(), fill[7]);
      // the first trade at or after the order's arrival, found by hand in the file
      String[] arrival = lines.stream().skip(1).map(l -> l.split(","))
          .filter(f -> Long.parseLong(f[0]) >= decision.atMs() + LATENCY_MS).findFirst().orElseThrow();
      assertEquals(Long.parseLong(arrival[0]), Long.parseLong(fill[0]), "stamped with the arrival trade's time; decision " + decision + " fill " + String.join(",", fill));
      // the paper fill model's price: that trade's price moved 2 bps against the order
      java.math.BigDecimal slip = new java.math.BigDecimal("0.0002");
      java.math.BigDecimal factor = "buy".equals(fill[2]) ? java.math.BigDecimal.ONE.add(slip) : java.math.BigDecimal.ONE.subtract(slip);
      java.math.BigDecimal expected = new java.math.BigDecimal(arrival[1]).multiply(factor);
      assertEquals(0, expected.compareTo(new java.math.BigDecimal(fill[4])), fill[4] + " vs " + expected);
      assertTrue(Long.parseLong(fill[0]) > decision.atMs(), "never the decision's own trade");
    }
  }

  @Test
  void partialFillsEachFillAgainstTheirOwnTradeOneLatencyApart() throws IOException {
    Settings twoParts = Settings.from(com.typesafe.config.ConfigFactory.parseString("pekko-trader.paper.partial-fills = 2")
        .withFallback(Settings.shippedConfig()));
    List<String> lines = walk(10, 4000, 60000);
    BacktestRun.run(BacktestSettings.setup(twoParts, List.of(BTC), INTERVAL_MS, LATENCY_MS, "ma-crossover", PARAMS),
        List.of(new Backtest.Feed(BTC, file("trades.csv", lines))), dir.resolve("out"), "ma-crossover", PARAMS, null);
    List<String[]> fills = Files.readAllLines(dir.resolve("out").resolve(Backtest.FILLS)).stream().skip(1).map(l -> l.split(",")).toList();

    String[] first = fills.get(0);
    String[] second = fills.get(1);
    assertEquals(first[7], second[7], "two fills of one order");
    assertEquals(first[7] + "-2", second[8]);
    String[] trade = lines.stream().skip(1).map(l -> l.split(","))
        .filter(f -> Long.parseLong(f[0]) >= Long.parseLong(first[0]) + LATENCY_MS).findFirst().orElseThrow();
    assertEquals(trade[0], second[0], "the second part fills at the first trade one latency after the first part");
    assertEquals(0, new java.math.BigDecimal(trade[1]).multiply(new java.math.BigDecimal("1.0002")).compareTo(new java.math.BigDecimal(second[4])));
  }

  @Test
  void theSameTradesAsVenueFramesOrAsABinanceDumpGiveTheSameBacktest() throws IOException {
    List<String> csv = walk(11, 3000, 60000);
    var binance = io.pekkotrader.streams.venue.VenueDialects.forVenue("binance");
    List<String> frames = new ArrayList<>();
    List<String> dump = new ArrayList<>();
    frames.add("{\"result\":null,\"id\":1}");
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      io.pekkotrader.domain.Trade trade = new io.pekkotrader.domain.Trade(f[4], Long.parseLong(f[0]), new java.math.BigDecimal(f[1]),
          new java.math.BigDecimal(f[2]), "buy".equals(f[3]) ? io.pekkotrader.domain.Side.BUY : io.pekkotrader.domain.Side.SELL);
      frames.add(binance.encodeTrade("BTCUSDT", trade));
      // a spot dump: no header, microseconds, is_buyer_maker = the taker sold
      dump.add(f[4] + "," + f[1] + "," + f[2] + ",0," + (Long.parseLong(f[0]) * 1000 + 123) + "," + ("sell".equals(f[3]) ? "True" : "False") + ",True");
    }

    run(file("trades.csv", csv), dir.resolve("csv"));
    run(file("frames.jsonl", frames), dir.resolve("frames"));
    run(file("dump.csv", dump), dir.resolve("dump"));

    for (String name : List.of(Backtest.CANDLES, Backtest.FILLS, Backtest.EQUITY, BacktestRun.REPORT_JSON)) {
      byte[] expected = Files.readAllBytes(dir.resolve("csv").resolve(name));
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("frames").resolve(name)), "frames: " + name);
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("dump").resolve(name)), "dump: " + name);
    }
  }

  @Test
  void twoSymbolsShareOnePortfolioAndTheirTradesMergeInTimeOrder() throws IOException {
    Path btc = file("btc.csv", walk(4, 3000, 60000));
    Path eth = file("eth.csv", walk(5, 3000, 3000));

    Backtest.Result result = BacktestRun.run(setup(List.of(BTC, ETH)),
        List.of(new Backtest.Feed(BTC, btc), new Backtest.Feed(ETH, eth)), dir.resolve("out"), "ma-crossover", PARAMS, null);

    assertEquals(6000, result.trades());
    assertEquals(List.of(BTC, ETH), result.markets().stream().map(Backtest.Market::symbol).toList());
    List<String> candles = Files.readAllLines(dir.resolve("out").resolve(Backtest.CANDLES));
    assertEquals(CandleWriter.header(true), candles.get(0));
    assertTrue(candles.stream().anyMatch(l -> l.startsWith("binance:ETHUSDT,")));
    List<Long> fillTimes = Files.readAllLines(dir.resolve("out").resolve(Backtest.FILLS)).stream().skip(1)
        .map(l -> Long.parseLong(l.split(",")[0])).toList();
    assertEquals(fillTimes.stream().sorted().toList(), fillTimes, "fills of both symbols in time order");
    assertTrue(result.fills() > 0);
  }

  @Test
  void badInputLeavesNothingInTheOutputDirectory() throws IOException {
    List<String> lines = new ArrayList<>(walk(6, 2000, 60000));
    lines.set(1500, "1700000000000,60000,1,buy,late");
    Path trades = file("unsorted.csv", lines);
    Path out = dir.resolve("out");

    BacktestInputException e = assertThrows(BacktestInputException.class, () -> run(trades, out));

    assertTrue(e.getMessage().startsWith(trades + ":1501: "), e.getMessage());
    assertFalse(Files.exists(out));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("unsorted.csv"), left.map(p -> p.getFileName().toString()).toList(), "no staging directory is left");
    }
  }

  @Test
  void aFailedRunLeavesAnEarlierOutputAsItWasAndARunReplacesIt() throws IOException {
    Path out = dir.resolve("out");
    Path good = file("good.csv", walk(7, 2000, 60000));
    run(good, out);
    byte[] report = Files.readAllBytes(out.resolve(BacktestRun.REPORT_JSON));
    Path bad = file("bad.csv", List.of(TradeFile.ENGINE_HEADER, "1,2,x,buy,1"));

    assertThrows(BacktestInputException.class, () -> run(bad, out));
    assertArrayEquals(report, Files.readAllBytes(out.resolve(BacktestRun.REPORT_JSON)));

    run(file("other.csv", walk(8, 2000, 50000)), out);
    assertFalse(java.util.Arrays.equals(report, Files.readAllBytes(out.resolve(BacktestRun.REPORT_JSON))));
  }

  @Test
  void refusesAnOutputDirectoryHoldingOtherFiles() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine");

    BacktestInputException e = assertThrows(BacktestInputException.class, () -> run(file("t.csv", walk(9, 100, 100)), out));

    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));
  }
}
