package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.app.Main;
import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.CandleAggregator;
import io.pekkotrader.domain.Trade;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench heap} on a few symbols: it starts them, fills their history and reports its figures in shape (not their size). */
class HeapBenchCommandTest {
  private static final int SYMBOLS = 6;
  private static final int CANDLES = 12;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.commandLine(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void startsTheSymbolTradersFillsTheirHistoryAndReportsTheHeapPerSymbol(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("heap.json");

    int exit = run("bench", "heap", "--symbols", String.valueOf(SYMBOLS), "--candles", String.valueOf(CANDLES), "--idle", "0",
        "--json", json.toString());

    assertEquals(0, exit, err.toString());
    String table = out.toString();
    for (String line : new String[] {"bench heap: 6 idle SymbolTraders", "machine: ", "JVM arguments: ", "none ", "half ", "all ",
        "per SymbolTrader: ", "where it goes, per SymbolTrader", "largest classes, per SymbolTrader",
        "checks: 6 of 6 READY without an order, 6 with 12 closed candles, 6 validated after recovery; 312 trades sent"}) {
      assertTrue(table.contains(line), () -> "missing '" + line + "' in:\n" + table);
    }
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertEquals("heap", figures.path("bench").asText());
    assertEquals(SYMBOLS, figures.path("config").path("symbols").asInt());
    assertEquals(CANDLES, figures.path("config").path("candles").asInt());
    assertTrue(figures.path("machine").path("jvmArguments").isArray());
    JsonNode measurements = figures.path("measurements");
    assertEquals(3, measurements.size());
    assertEquals(List.of(0, SYMBOLS / 2, SYMBOLS),
        List.of(measurements.get(0).path("entities").asInt(), measurements.get(1).path("entities").asInt(), measurements.get(2).path("entities").asInt()));
    for (JsonNode measurement : measurements) {
      assertTrue(measurement.path("liveBytes").asLong() > 0, measurement.toString());
      assertTrue(measurement.path("usedBytes").asLong() > 0, measurement.toString());
    }
    double perEntity = figures.path("bytesPerEntity").asDouble();
    double fromParts = (measurements.get(2).path("liveBytes").asLong() - measurements.get(0).path("liveBytes").asLong()) / (double) SYMBOLS;
    assertEquals(fromParts, perEntity, 1e-6);
    assertTrue(figures.path("marginalBytesPerEntity").isNumber());
    assertEquals(HeapBench.GROUPS.size(), figures.path("categories").size());
    double categorised = 0;
    for (JsonNode category : figures.path("categories")) {
      categorised += category.path("bytes").asDouble();
    }
    assertEquals(perEntity, categorised, 1e-6, "every class lands in one group");
    assertTrue(figures.path("classes").size() > 0);
    JsonNode checks = figures.path("checks");
    assertEquals(SYMBOLS, checks.path("ready").asInt());
    assertEquals(SYMBOLS, checks.path("fullHistory").asInt());
    assertEquals(SYMBOLS, checks.path("validated").asInt());
  }

  @Test
  void feedsCandlesWithDistinctPricesAndFallingClosesSoThatNoEntryIsSignalled() {
    HeapBench.Config config = new HeapBench.Config(2, 30, 4, 0);
    CandleAggregator candles = new CandleAggregator(1_000, 30);

    for (Trade trade : HeapBench.trades(0, config, 1_000)) {
      candles.onTrade(trade);
    }

    List<Candle> history = candles.history();
    assertEquals(30, history.size());
    for (int i = 0; i < history.size(); i++) {
      Candle candle = history.get(i);
      assertEquals(4, candle.trades());
      assertEquals(4, List.of(candle.open(), candle.high(), candle.low(), candle.close()).stream().distinct().count(), candle::toString);
      assertEquals(8, candle.close().scale());
      if (i > 0) {
        assertTrue(candle.close().compareTo(history.get(i - 1).close()) < 0, "closes fall");
      }
    }
    assertEquals(0, new BigDecimal("0.04").compareTo(history.get(0).open().subtract(history.get(0).low())));
  }

  @Test
  void refusesTooFewSymbols() {
    int exit = run("bench", "heap", "--symbols", "1");

    assertEquals(2, exit);
    assertTrue(err.toString().contains("symbols >= 2"), err.toString());
  }

  @Test
  void readsTheClassHistogramText() {
    String text = """
         num     #instances         #bytes  class name (module)
        -------------------------------------------------------
           1:          1000          40000  java.math.BigDecimal (java.base@17.0.15)
           2:            10            480  io.pekkotrader.domain.Candle
        Total          1010          40480
        """;

    HeapHistogram histogram = HeapHistogram.parse(text);
    List<HeapHistogram.Row> growth =
        HeapHistogram.parse("   1:            20            960  io.pekkotrader.domain.Candle\n").growthTo(histogram);

    assertEquals(40_480, histogram.totalBytes());
    assertEquals(new HeapHistogram.Row("java.math.BigDecimal", 1000, 40_000), growth.get(0));
    assertEquals(new HeapHistogram.Row("io.pekkotrader.domain.Candle", -10, -480), growth.get(1));
  }
}
