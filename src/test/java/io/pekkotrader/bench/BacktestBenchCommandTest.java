package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench backtest} runs and reports its shape (never its timings). */
class BacktestBenchCommandTest {
  @Test
  void printsTradesPerSecondAndWritesTheFiguresAsJson(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path json = dir.resolve("backtest.json");

    int code = Main.commandLine(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true))
        .execute("bench", "backtest", "--trades", "20000", "--warmup", "0", "--rounds", "1", "--json", json.toString());

    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("backtest end to end"), out.toString());
    assertTrue(out.toString().contains("read and parse only"), out.toString());
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertEquals("backtest", figures.get("bench").asText());
    assertEquals(20000, figures.get("config").get("trades").asInt());
    assertTrue(figures.get("backtestTradesPerSecond").asDouble() > 0);
  }

  @Test
  void refusesTooFewTrades() {
    StringWriter err = new StringWriter();

    int code = Main.commandLine(Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
        .execute("bench", "backtest", "--trades", "10");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--trades >= 1000"), err.toString());
  }
}
