package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optimize} through the command line, as a user runs it. */
class OptimizeCommandTest {
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

  /** Eight cycles of a flat stretch, a steady 0.1 %-a-minute rise to about +5.6 % and a crash, as the engine's trades CSV. */
  private Path sawtooth() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("timestamp_ms,price,quantity,side,trade_id");
    long t = 1_700_006_400_000L;
    int id = 1;
    for (int c = 0; c < 8; c++) {
      for (int k = 0; k < 75; k++) {
        double price = k < 20 ? 100 : 100 * Math.pow(1.001, k - 19);
        for (int s = 0; s < 4; s++) {
          lines.add((t + 5_000 + s * 15_000) + "," + String.format(Locale.ROOT, "%.4f", price) + ",0.5,buy," + id++);
        }
        t += 60_000;
      }
    }
    return Files.write(tmp.resolve("saw.csv"), lines, StandardCharsets.UTF_8);
  }

  private String[] args(Path trades, Path out, String... more) {
    List<String> all = new ArrayList<>(List.of("optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--strategy", "ma-crossover",
        "--param", "take-profit=0.01..0.08:0.01", "--param", "slow=4..6", "--param", "min-volatility=0", "--param", "volatility-window=3",
        "--objective", "return", "--train", "70%", "--out", out.toString()));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void optimizesThroughMainAndFindsTheBuiltForTakeProfit() throws IOException {
    Path out = tmp.resolve("opt");

    Outcome outcome = execute(args(sawtooth(), out, "--threads", "2"));

    assertEquals(0, outcome.exitCode(), outcome.err());
    assertEquals("", outcome.err(), "quiet on stderr when it is no terminal");
    assertTrue(outcome.out().contains("24 sets evaluated, 0 skipped"), outcome.out());
    assertTrue(outcome.out().contains("take-profit=0.05"), outcome.out());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(25, csv.size());
    assertTrue(csv.get(1).startsWith("1,0.05,4,0,3,"), csv.get(1));
    String html = Files.readString(out.resolve("optimize.html"));
    assertTrue(html.contains("id=\"heatmap-train\"") && html.contains("id=\"heatmap-test\""), "both heat maps");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"), "nothing fetched");
  }

  @Test
  void theSameRunTwiceWritesTheSameFilesAndRandomDrawsTheSameSets() throws IOException {
    Path trades = sawtooth();
    execute(args(trades, tmp.resolve("a"), "--method", "random", "--samples", "9", "--seed", "42", "--threads", "3"));
    Outcome again = execute(args(trades, tmp.resolve("b"), "--method", "random", "--samples", "9", "--seed", "42", "--threads", "1"));

    assertEquals(0, again.exitCode(), again.err());
    for (String file : List.of("results.csv", "optimize.html")) {
      assertEquals(Files.readString(tmp.resolve("a").resolve(file)), Files.readString(tmp.resolve("b").resolve(file)), file);
    }
    assertEquals(10, Files.readAllLines(tmp.resolve("a").resolve("results.csv")).size());
  }

  @Test
  void badFlagsExitWithTwoAndWriteNothing() throws IOException {
    Path trades = sawtooth();
    Path out = tmp.resolve("none");
    List<String[]> bad = List.of(
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "fast=9..3", "--out", out.toString()},
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "speed=1..3", "--out", out.toString()},
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "fast=1..3", "--objective", "luck",
            "--out", out.toString()},
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "fast=1..3", "--train", "100%",
            "--out", out.toString()},
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "fast=1..3", "--method", "random",
            "--out", out.toString()},
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "fast=1..3", "--heatmap", "fast,slow",
            "--out", out.toString()},
        new String[] {"optimize", "--trades", tmp.resolve("missing.csv").toString(), "--symbol", "BTCUSDT", "--param", "fast=1..3",
            "--out", out.toString()},
        new String[] {"optimize", "--trades", trades.toString(), "--symbol", "BTCUSDT", "--param", "fast=9..10", "--param", "slow=5",
            "--out", out.toString()});
    for (String[] args : bad) {
      Outcome outcome = execute(args);
      assertEquals(2, outcome.exitCode(), String.join(" ", args) + "\n" + outcome.out() + outcome.err());
      assertTrue(outcome.err().startsWith("optimize: "), outcome.err());
      assertFalse(Files.exists(out), "nothing written for " + String.join(" ", args));
    }
    assertTrue(execute(bad.get(7)).err().contains("refused every parameter set"));
  }
}
