package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.strategy.Strategies;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeReportTest {
  @TempDir Path dir;

  private static ParameterSpace space(String... specs) {
    return ParameterSpace.parse(Strategies.descriptor("ma-crossover"), List.of(specs));
  }

  private static Optimizer.Metrics metrics(String returnPct, String sharpe) {
    return new Optimizer.Metrics(new BigDecimal(returnPct), sharpe == null ? null : new BigDecimal(sharpe), null, BigDecimal.ZERO, 2,
        new BigDecimal("10000"));
  }

  @Test
  void theHeatMapTakesTheFirstTwoRangedParametersUnlessTwoAreChosen() {
    ParameterSpace space = space("fast=3", "slow=10..20:5", "stop-loss=0.01..0.02:0.01", "take-profit=0.01..0.03:0.01");

    assertEquals(List.of("slow", "stop-loss"), OptimizeReport.heatmapAxes(space, List.of()));
    assertEquals(List.of("take-profit", "slow"), OptimizeReport.heatmapAxes(space, List.of("take-profit", "slow")));
    assertThrows(IllegalArgumentException.class, () -> OptimizeReport.heatmapAxes(space, List.of("slow")));
    assertThrows(IllegalArgumentException.class, () -> OptimizeReport.heatmapAxes(space, List.of("slow", "slow")));
    assertThrows(IllegalArgumentException.class, () -> OptimizeReport.heatmapAxes(space, List.of("slow", "volatility-window")));
    assertEquals(List.of("slow"), OptimizeReport.heatmapAxes(space("slow=10..20:5"), List.of()));
    assertEquals(List.of(), OptimizeReport.heatmapAxes(space("slow=10"), List.of()));
  }

  @Test
  void oneRangedParameterDrawsOneRowAndAMissingFigureIsEmptyInTheCsv() throws IOException {
    ParameterSpace space = space("slow=10..20:5");
    List<Optimizer.Row> ranked = List.of(
        new Optimizer.Row(1, space.point(1), metrics("1.5", "2.0"), metrics("-0.5", "-1.0")),
        new Optimizer.Row(0, space.point(0), metrics("0.5", null), metrics("0.1", "0.2")));
    Optimizer.Outcome outcome = new Optimizer.Outcome(space, Optimizer.Objective.SHARPE, new Optimizer.Split(0, 700, 1000, 7, 3), ranked,
        3, 1, "slow <b>must</b> be > fast");

    OptimizeReport.write(outcome, new OptimizeReport.Context("ma-crossover", "binance:BTCUSDT", "grid", List.of("slow")), dir.resolve("o"));

    List<String> csv = Files.readAllLines(dir.resolve("o").resolve(OptimizeReport.RESULTS_CSV));
    assertEquals("1,15,1.5,2.0,,0,2,10000,-0.5,-1.0,,0,2,10000", csv.get(1));
    assertEquals("2,10,0.5,,,0,2,10000,0.1,0.2,,0,2,10000", csv.get(2));
    String html = Files.readString(dir.resolve("o").resolve(OptimizeReport.OPTIMIZE_HTML));
    assertEquals(2 * 3, html.split("<rect ", -1).length - 1, "three cells in each of the two maps");
    assertTrue(html.contains("fill=\"#d0d0d0\""), "slow=20 was skipped: grey");
    assertTrue(html.contains("slow &lt;b&gt;must&lt;/b&gt; be &gt; fast"), "the skip reason is escaped");
    assertFalse(html.contains("<b>"));
  }

  @Test
  void coloursRunFromRedThroughYellowToGreen() {
    assertEquals("#e65a50", OptimizeReport.colour(0));
    assertEquals("#fff0a0", OptimizeReport.colour(0.5));
    assertEquals("#46b464", OptimizeReport.colour(1));
    assertEquals(OptimizeReport.colour(1), OptimizeReport.colour(7));
  }
}
