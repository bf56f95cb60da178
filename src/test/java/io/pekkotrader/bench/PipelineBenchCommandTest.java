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

/** {@code bench pipeline} end to end on a tiny run: the table and the JSON have their shape (not their timings). */
class PipelineBenchCommandTest {
  private static final int FRAMES = 3_000;
  private static final int SYMBOLS = 5;
  /** Tokens in one combined-stream trade frame: 2 objects, 11 names, 11 values. */
  private static final int TOKENS_PER_FRAME = 25;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.commandLine(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void printsTheTableAndWritesTheFiguresAsJson(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("pipeline.json");

    int exit = run("bench", "pipeline", "--symbols", String.valueOf(SYMBOLS), "--frames", String.valueOf(FRAMES),
        "--warmup", "0", "--rounds", "1", "--json", json.toString());

    assertEquals(0, exit, err.toString());
    String table = out.toString();
    for (String line : new String[] {"bench pipeline: 5 symbols, 3,000 frames", "machine: ", "raw Jackson parse",
        "decode -> decision", "ratio end to end / raw", "every frame", "frames that closed a candle",
        "counts: 3,000 trades", "targets (wall clock): >= 1,000,000 frames/s end to end: "}) {
      assertTrue(table.contains(line), () -> "missing '" + line + "' in:\n" + table);
    }
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertEquals("pipeline", figures.path("bench").asText());
    assertEquals(SYMBOLS, figures.path("config").path("symbols").asInt());
    assertEquals(FRAMES, figures.path("config").path("frames").asInt());
    assertTrue(figures.path("machine").path("processors").asInt() >= 1);
    assertTrue(figures.path("machine").path("jvm").asText().contains(System.getProperty("java.runtime.version")));
    for (String pass : new String[] {"rawParse", "endToEnd"}) {
      JsonNode rate = figures.path(pass);
      assertTrue(rate.path("framesPerSecond").asDouble() > 0, pass);
      assertTrue(rate.path("framesPerCpuSecond").asDouble() > 0, pass);
      assertEquals(1, rate.path("rounds").size(), pass);
      assertEquals(1, rate.path("cpuRounds").size(), pass);
    }
    assertEquals(
        figures.path("endToEnd").path("framesPerSecond").asDouble() / figures.path("rawParse").path("framesPerSecond").asDouble(),
        figures.path("ratio").asDouble(), 1e-9);
    JsonNode counts = figures.path("counts");
    assertEquals(FRAMES, counts.path("frames").asInt());
    assertEquals(FRAMES, counts.path("trades").asInt());
    assertEquals(0, counts.path("malformed").asInt());
    assertEquals(0, counts.path("ignored").asInt());
    assertEquals(0, counts.path("unrouted").asInt());
    assertEquals((long) FRAMES * TOKENS_PER_FRAME, counts.path("rawTokens").asLong());
    // about ten trades per symbol per candle: the run closes candles and reaches decisions
    assertTrue(counts.path("decisions").asInt() > 0, counts.toString());
    // every intent is decided, and an approved one is filled at once (one paper fill per order as shipped)
    assertEquals(counts.path("entries").asLong() + counts.path("exits").asLong(),
        counts.path("approved").asLong() + counts.path("rejected").asLong(), counts.toString());
    assertEquals(counts.path("approved").asLong(), counts.path("fills").asLong(), counts.toString());
    JsonNode latency = figures.path("latencyNanos");
    assertEquals(FRAMES, latency.path("everyFrame").path("count").asInt());
    // a frame that moves the time past a candle boundary closes, by the candle clock, every symbol's candle at once
    long closingFrames = latency.path("candleClose").path("count").asLong();
    assertTrue(closingFrames > 0 && closingFrames <= counts.path("decisions").asLong(), latency.toString());
    assertTrue(latency.path("everyFrame").path("p50").asLong() <= latency.path("everyFrame").path("max").asLong());
    assertTrue(figures.path("targets").path("ratioMet").isBoolean());
    assertTrue(figures.path("targets").path("framesPerSecondMet").isBoolean());
  }

  @Test
  void benchWithoutANameListsTheBenchmarksAsAUsageError() {
    int exit = run("bench");

    assertEquals(2, exit, "no benchmark named is a usage error");
    assertTrue(err.toString().contains("pipeline"), err.toString());
  }

  @Test
  void refusesANonsensicalConfiguration() {
    int exit = run("bench", "pipeline", "--symbols", "0", "--frames", "10");

    assertEquals(2, exit);
    assertTrue(err.toString().contains("symbols >= 1"), err.toString());
  }
}
