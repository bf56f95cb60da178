package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backtest} through the command line, as a user runs it, on the crafted Binance dump of the docs' worked example. */
class BacktestCommandTest {
  private static final String SAMPLE = "/backtest/BTCUSDT-trades-2025-01-01.csv";

  @TempDir Path tmp;

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exitCode = Main.commandLine(Map.of(), outWriter, errWriter).execute(args);
    outWriter.flush();
    errWriter.flush();
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  /** The sample dump zipped, as Binance publishes it. */
  private Path zippedSample() throws IOException {
    Path zip = tmp.resolve("BTCUSDT-trades-2025-01-01.zip");
    try (InputStream in = BacktestCommandTest.class.getResourceAsStream(SAMPLE);
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("BTCUSDT-trades-2025-01-01.csv"));
      in.transferTo(out);
      out.closeEntry();
    }
    return zip;
  }

  @Test
  void backtestsABinanceDumpIntoCandlesFillsEquityAndReports() throws IOException {
    Path out = tmp.resolve("report");

    Outcome outcome = execute("backtest", "--trades", zippedSample().toString(), "--symbol", "BTCUSDT", "--interval", "1m",
        "--strategy", "ma-crossover", "--param", "fast=3", "--param", "slow=8", "--out", out.toString());

    assertEquals(0, outcome.exitCode(), outcome.err());
    assertTrue(outcome.out().contains("5,110 trades replayed"), outcome.out());
    assertEquals("", outcome.err(), "quiet on stderr when it is no terminal");
    for (String name : List.of("candles.csv", "fills.csv", "equity.csv", "report.json", "report.html")) {
      assertTrue(Files.size(out.resolve(name)) > 0, name);
    }
    List<String> candles = Files.readAllLines(out.resolve("candles.csv"));
    assertEquals("open_time_ms,open,high,low,close,volume,trades", candles.get(0));
    assertEquals(180 + 1, candles.size(), "three hours of one-minute candles");
    String report = Files.readString(out.resolve("report.json"));
    assertTrue(report.contains("\"startMs\": 1735689602171"), report);
    assertTrue(report.contains("\"fast\": \"3\""), report);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<svg"), "charts drawn as SVG");
    assertFalse(html.contains("<script"), "no script in the report");
  }

  @Test
  void badInputExitsWithTwoNamingFileAndLineAndWritesNothing() throws IOException {
    Path trades = tmp.resolve("trades.csv");
    Files.writeString(trades, "timestamp_ms,price,quantity,side,trade_id\n1000,1,1,buy,a\n1001,one,1,buy,b\n", StandardCharsets.UTF_8);
    Path out = tmp.resolve("out");

    Outcome outcome = execute("backtest", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--out", out.toString());

    assertEquals(2, outcome.exitCode());
    assertTrue(outcome.err().contains(trades + ":3: price 'one' is not a decimal"), outcome.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void anUnknownStrategyParameterOrMismatchedFlagsExitWithTwo() throws IOException {
    Path trades = tmp.resolve("trades.csv");
    Files.writeString(trades, "timestamp_ms,price,quantity,side,trade_id\n1000,1,1,buy,a\n", StandardCharsets.UTF_8);

    Outcome param = execute("backtest", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "speed=3", "--out",
        tmp.resolve("a").toString());
    Outcome pairs = execute("backtest", "--trades", trades.toString(), "--trades", trades.toString(), "--trades", trades.toString(),
        "--symbol", "BTCUSDT", "--symbol", "ETHUSDT", "--out", tmp.resolve("b").toString());
    Outcome strategy = execute("backtest", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--strategy", "moon", "--out",
        tmp.resolve("c").toString());

    assertEquals(2, param.exitCode());
    assertTrue(param.err().contains("parameter speed is not a parameter of it"), param.err());
    assertEquals(2, pairs.exitCode());
    assertTrue(pairs.err().contains("3 files and 2 symbols"), pairs.err());
    assertEquals(2, strategy.exitCode());
    assertTrue(strategy.err().contains("unknown strategy 'moon'"), strategy.err());
    assertFalse(Files.exists(tmp.resolve("a")) || Files.exists(tmp.resolve("b")) || Files.exists(tmp.resolve("c")));
  }

}
