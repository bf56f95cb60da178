package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  @TempDir Path dir;

  @Test
  void drawsEveryPartOfflineAndEscapesWhatTheUserTyped() throws Exception {
    Path trades = Files.write(dir.resolve("t.csv"), BacktestTest.walk(12, 4000, 60000));
    Path out = dir.resolve("out");
    Map<String, String> params = new java.util.HashMap<>(BacktestTest.PARAMS);
    BacktestRun.run(BacktestTest.setup(List.of(BacktestTest.BTC)), List.of(new Backtest.Feed(BacktestTest.BTC, trades)), out,
        "ma-crossover", params, null);
    params.put("note", "<script>alert(1)</script>");

    String html = HtmlReport.html(
        Backtest.run(BacktestTest.setup(List.of(BacktestTest.BTC)), List.of(new Backtest.Feed(BacktestTest.BTC, trades)),
            Files.createDirectory(dir.resolve("again")), null),
        "ma-crossover", params, dir.resolve("again"));

    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertFalse(html.contains("<script"), "no script, typed or shipped");
    assertFalse(html.contains("src=") || html.contains("href="), "nothing fetched");
    for (String part : List.of("<h2>Summary</h2>", "<h2>Symbols</h2>", "<h2>Exit reasons</h2>", "aria-label=\"equity\"",
        "aria-label=\"drawdown %\"", "aria-label=\"close\"", "fill=\"#1a8f3a\"", "fill=\"#c02020\"")) {
      assertTrue(html.contains(part), part);
    }
    assertTrue(Files.readString(out.resolve(BacktestRun.REPORT_HTML)).contains("<polyline"));
  }
}
