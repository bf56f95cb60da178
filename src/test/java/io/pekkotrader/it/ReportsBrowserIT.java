package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.pekkotrader.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * {@code report.html} and {@code optimize.html} as a user opens them: from disk (file://) in headless
 * Chromium, each screenshotted, with the figures the page shows equal to those of {@code
 * report.json} and {@code results.csv}, and nothing fetched or run.
 */
class ReportsBrowserIT {
  @TempDir Path tmp;
  private Browser browser;

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  /** Six cycles of flat, a 0.1 %-a-minute rise and a crash, which ma-crossover trades once a cycle. */
  private Path sawtooth() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("timestamp_ms,price,quantity,side,trade_id");
    long t = 1_700_006_400_000L;
    int id = 1;
    for (int c = 0; c < 6; c++) {
      for (int k = 0; k < 75; k++) {
        double price = k < 20 ? 100 : 100 * Math.pow(1.001, k - 19);
        for (int s = 0; s < 4; s++) {
          lines.add((t + 5_000 + s * 15_000) + "," + String.format(Locale.ROOT, "%.4f", price) + ",0.5," + (s % 2 == 0 ? "buy" : "sell")
              + "," + id++);
        }
        t += 60_000;
      }
    }
    return Files.write(tmp.resolve("sawtooth.csv"), lines, StandardCharsets.UTF_8);
  }

  private static void run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    assertEquals(0, exit, String.join(" ", args) + "\n" + out + err);
  }

  /** A screenshot of the whole page: the window made as tall as it. */
  private Path wholePage(String name) {
    long height = ((Number) browser.script("return document.documentElement.scrollHeight;")).longValue();
    browser.driver.manage().window().setSize(new Dimension(1440, (int) Math.min(8000, height + 40)));
    return browser.screenshot(name);
  }

  /** report.json with its decimals exactly as written (trailing zeros kept). */
  private static JsonNode readJson(Path file) throws java.io.IOException {
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    return mapper.readTree(file.toFile());
  }

  /** A report.json figure as the page writes it: the decimal as written, or a dash for null. */
  private static String shown(JsonNode value) {
    if (value.isNull()) {
      return "–";
    }
    return value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
  }

  @Test
  void theBacktestReportShowsTheFiguresOfReportJson() throws Exception {
    Path out = tmp.resolve("backtest");
    run("backtest", "--trades", sawtooth().toString(), "--symbol", "BTCUSDT", "--strategy", "ma-crossover", "--param", "take-profit=0.05",
        "--param", "min-volatility=0", "--param", "volatility-window=3", "--out", out.toString());
    JsonNode summary = readJson(out.resolve("report.json")).get("summary");
    assertTrue(summary.get("trades").asLong() >= 5, summary.toString());

    browser = Browser.open(tmp.resolve("profile-report"));
    browser.get(out.resolve("report.html").toUri().toString());
    Path shot = wholePage("backtest-report");
    System.out.println("screenshot: " + shot.toAbsolutePath());

    for (String key : List.of("finalBalance", "totalReturnPct", "maxDrawdownPct", "trades", "sharpe", "feesPaid", "tradesReplayed")) {
      assertEquals(shown(summary.get(key)), browser.text("#summary-" + key), key);
    }
    List<WebElement> keyed = browser.findAll("td[data-key]");
    assertEquals(16, keyed.size(), "every summary row carries its report.json key");
    for (WebElement cell : keyed) {
      JsonNode value = summary.get(cell.getDomAttribute("data-key"));
      assertEquals(shown(value), cell.getText(), cell.getDomAttribute("data-key"));
    }
    List<WebElement> charts = browser.findAll("svg polyline");
    assertEquals(3, charts.size(), "equity, drawdown and price");
    for (WebElement line : charts) {
      assertTrue(line.getDomAttribute("points").split(" ").length > 100, "a drawn curve");
    }
    assertEquals(2 * summary.get("trades").asInt(), browser.findAll("svg path").size(), "an entry and an exit marker per round trip");
    assertTrue(browser.findAll("script").isEmpty());
    assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());
  }

  @Test
  void theOptimizePageShowsTheRankingOfResultsCsvAndBothHeatMaps() throws Exception {
    Path out = tmp.resolve("optimize");
    run("optimize", "--trades", sawtooth().toString(), "--symbol", "BTCUSDT", "--strategy", "ma-crossover",
        "--param", "take-profit=0.01..0.08:0.01", "--param", "slow=4..9", "--param", "min-volatility=0", "--param", "volatility-window=3",
        "--objective", "sharpe", "--out", out.toString());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    String[] header = csv.get(0).split(",", -1);

    browser = Browser.open(tmp.resolve("profile-optimize"));
    browser.get(out.resolve("optimize.html").toUri().toString());
    Path shot = wholePage("optimize");
    System.out.println("screenshot: " + shot.toAbsolutePath());

    List<String> shownColumns = List.of(header).stream().filter(c -> !c.endsWith("_final_balance")).toList();
    for (int rank = 1; rank <= 3; rank++) {
      List<String> expected = List.of(csv.get(rank).split(",", -1));
      List<WebElement> cells = browser.findAll("#rank-" + rank + " td");
      assertEquals(shownColumns.size(), cells.size());
      for (int i = 0; i < cells.size(); i++) {
        String column = cells.get(i).getDomAttribute("data-col");
        assertEquals(shownColumns.get(i), column);
        String value = expected.get(List.of(header).indexOf(column));
        assertEquals(value.isEmpty() ? "–" : value, cells.get(i).getText(), "rank " + rank + " " + column);
      }
    }
    assertEquals(Math.min(50, csv.size() - 1), browser.findAll("#ranking tr[id^=rank-]").size());
    for (String map : List.of("#heatmap-train", "#heatmap-test")) {
      List<WebElement> cells = browser.findAll(map + " rect");
      assertEquals(8 * 6, cells.size(), map + ": take-profit x slow");
      Iterator<WebElement> it = cells.iterator();
      long coloured = 0;
      while (it.hasNext()) {
        if (!"#d0d0d0".equals(it.next().getDomAttribute("fill"))) {
          coloured++;
        }
      }
      assertEquals(48, coloured, map + ": every cell has a figure");
      assertFalse(browser.find(map).getText().isBlank(), map + " is labelled");
    }
    assertTrue(browser.findAll("script").isEmpty());
    assertTrue(browser.consoleErrors().isEmpty(), browser.consoleErrors().toString());

    // the top row's training figures are those of a plain backtest of the training part with its parameters
    List<String> lines = Files.readAllLines(tmp.resolve("sawtooth.csv"));
    long first = Long.parseLong(lines.get(1).split(",")[0]);
    long last = Long.parseLong(lines.get(lines.size() - 1).split(",")[0]);
    long cut = first + Math.floorDiv((last - first) * 70, 100L);
    List<String> trainLines = new ArrayList<>(lines.subList(0, 1));
    lines.stream().skip(1).filter(l -> Long.parseLong(l.split(",")[0]) < cut).forEach(trainLines::add);
    Path train = Files.write(tmp.resolve("train.csv"), trainLines, StandardCharsets.UTF_8);
    List<String> top = List.of(csv.get(1).split(",", -1));
    Map<String, String> column = new java.util.HashMap<>();
    for (int i = 0; i < header.length; i++) {
      column.put(header[i], top.get(i));
    }
    Path backtest = tmp.resolve("top-train");
    run("backtest", "--trades", train.toString(), "--symbol", "BTCUSDT", "--strategy", "ma-crossover", "--param",
        "take-profit=" + column.get("take-profit"), "--param", "slow=" + column.get("slow"), "--param", "min-volatility=0",
        "--param", "volatility-window=3", "--out", backtest.toString());
    JsonNode summary = readJson(backtest.resolve("report.json")).get("summary");
    assertEquals(shown(summary.get("totalReturnPct")), column.get("train_return_pct"));
    assertEquals(shown(summary.get("sharpe")), column.get("train_sharpe"));
    assertEquals(shown(summary.get("calmar")), column.get("train_calmar"));
    assertEquals(shown(summary.get("maxDrawdownPct")), column.get("train_max_drawdown_pct"));
    assertEquals(shown(summary.get("trades")), column.get("train_trades"));
    assertEquals(shown(summary.get("finalBalance")), column.get("train_final_balance"));
  }
}
