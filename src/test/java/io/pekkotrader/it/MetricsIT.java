package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkotrader.metrics.TradingMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running engine on the embedded simulator serves Prometheus text on its metrics port: every
 * metric of the trading catalogue with its type, Kamon's Pekko instrumentation (actors,
 * dispatchers, the HTTP server, the JDBC pool), and nothing that Prometheus' own
 * {@code promtool check metrics} objects to; and the Grafana dashboard's queries parse.
 */
class MetricsIT {
  /** One metric family of each Pekko instrumentation the engine relies on. */
  private static final List<String> PEKKO_FAMILIES =
      List.of(
          "pekko_group_processing_time_seconds", // actors (by group)
          "pekko_system_active_actors",
          "executor_threads_active", // dispatchers
          "http_server_requests_total", // the control API's HTTP server
          "jdbc_pool_connections_open"); // the journal's HikariCP pool

  @TempDir Path tmp;

  @Test
  void servesEveryCatalogueMetricAndPekkoMetricsThatPromtoolAccepts() throws Exception {
    Path data = tmp.resolve("data");
    Path config = tmp.resolve("metrics.conf");
    // a short tick: the endpoint shows a metric from the first tick after it was recorded;
    // dropped connections and garbage frames, so that the stream's counters move; a fee of 2% of
    // each fill, so that the day is at a loss from the first fill on (no price move of seconds
    // makes up 20 USDT on an entry of 1000), with loss limits that let it trade on regardless
    Files.writeString(
        config,
        """
        pekko-trader.metrics.tick-interval = 1s
        pekko-trader.market.simulator.faults = "drop=4s,garbage=2%"
        pekko-trader.paper.fee-rate = 0.02
        pekko-trader.risk.max-daily-loss = 1000000
        pekko-trader.risk.max-drawdown = 0.9
        """);
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "metrics", Map.of("--config", config.toString()))) {
      engine.awaitStatus(Duration.ofSeconds(90), "the engine to serve its API", status -> true);

      // persist_latency_seconds appears with the first persisted intent: wait for the engine to trade
      String scrape = awaitScrape(engine, Duration.ofSeconds(150));

      for (TradingMetrics.Definition metric : TradingMetrics.CATALOGUE) {
        assertTrue(
            scrape.contains("# TYPE " + metric.name() + " " + metric.type().prometheus() + "\n"),
            metric.name() + " is exported as a " + metric.type().prometheus());
        for (String label : metric.labels()) {
          assertTrue(
              Pattern.compile("(?m)^" + metric.name() + "(_bucket)?\\{[^}]*\\b" + label + "=\"[a-z_]+\"").matcher(scrape).find(),
              metric.name() + " carries the label " + label);
        }
      }
      for (String family : PEKKO_FAMILIES) {
        assertTrue(scrape.contains("# TYPE " + family + " "), "Pekko instrumentation: " + family + " is exported");
      }
      assertTrue(scrape.contains("ws_connected{venue=\"binance\"} "), "the stream's connection gauge is there");
      assertTrue(scrape.contains("killswitch_engaged 0.0"), "the kill switch is released");

      PromtoolResult promtool = promtool(scrape, "check", "metrics");
      assertEquals(0, promtool.exitCode(), "promtool check metrics:\n" + promtool.output() + "\nof:\n" + offending(scrape, promtool.output()));

      // the counters count what happens, and the kill switch gauge follows the switch
      // the faults drop the connection every 4 s, so connected is 1 between the drops, not at every scrape
      awaitValue(engine, "ws_connected{venue=\"binance\"}", v -> v == 1);
      awaitValue(engine, "ws_reconnects_total{venue=\"binance\"}", v -> v >= 1);
      awaitValue(engine, "ws_malformed_frames_total{venue=\"binance\"}", v -> v >= 1);
      awaitValue(engine, "orders_submitted_total", v -> v >= 1);
      // a loss is scraped as a negative figure (Kamon's own gauge would have kept 0)
      awaitValue(engine, "daily_pnl", v -> v < 0);
      for (String actor : List.of("symbol_trader", "risk_manager", "portfolio")) {
        awaitValue(engine, "persist_latency_seconds_count{actor=\"" + actor + "\"}", v -> v >= 1);
      }
      engine.call("POST", "/api/v1/kill-switch", "{\"engaged\":true,\"reason\":\"metrics test\"}", 200);
      awaitValue(engine, "killswitch_engaged", v -> v == 1);
    }
  }

  @Test
  void theGrafanaDashboardsQueriesAreValidPromql() throws Exception {
    JsonNode dashboard = EngineProcess.JSON.readTree(Path.of("deploy", "grafana", "pekko-trader.json").toFile());
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        rules.append("      - record: dashboard_query_").append(++n).append('\n');
        rules.append("        expr: '").append(target.get("expr").asText().replace("'", "''")).append("'\n");
      }
    }
    Path file = tmp.resolve("dashboard-rules.yml");
    Files.writeString(file, rules);

    PromtoolResult promtool = promtool(null, "check", "rules", file.toString());

    assertEquals(0, promtool.exitCode(), "promtool check rules on the dashboard's queries:\n" + promtool.output());
    assertTrue(n >= TradingMetrics.CATALOGUE.size(), "a query per catalogue metric at least");
  }

  /** Polls the endpoint until the sample {@code series} has a value that passes {@code condition}. */
  private static void awaitValue(EngineProcess engine, String series, java.util.function.DoublePredicate condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      var response = engine.metrics();
      last = response.body().lines().filter(line -> line.startsWith(series + " ")).findFirst().orElse(null);
      if (last != null && condition.test(Double.parseDouble(last.substring(series.length() + 1).trim()))) {
        return;
      }
      Thread.sleep(500);
    }
    fail("timed out waiting for " + series + "; last sample: " + last + "\n" + engine.logTail());
  }

  /** Polls the endpoint until every catalogue metric is in it; fails with what is missing. */
  private static String awaitScrape(EngineProcess engine, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> missing = List.of("(no scrape yet)");
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        var response = engine.metrics();
        if (response.statusCode() == 200) {
          last = response.body();
          missing = missing(last);
          if (missing.isEmpty()) {
            return last;
          }
        }
      } catch (IOException e) {
        missing = List.of("(endpoint not answering: " + e + ")");
      }
      if (!engine.isAlive()) {
        fail("engine exited while waiting for its metrics\n" + engine.logTail());
      }
      Thread.sleep(1000);
    }
    fail("timed out after " + timeout + " waiting for the catalogue; missing " + missing + "\n" + engine.logTail());
    return last;
  }

  /** The catalogue metrics without a sample yet (an empty histogram has its TYPE line, no sample). */
  private static List<String> missing(String scrape) {
    List<String> missing = new ArrayList<>();
    for (TradingMetrics.Definition metric : TradingMetrics.CATALOGUE) {
      if (!Pattern.compile("(?m)^" + metric.name() + "(_bucket)?[{ ]").matcher(scrape).find()) {
        missing.add(metric.name());
      }
    }
    return missing;
  }

  /** For each metric promtool names, one scrape line of each distinct set of label names. */
  private static String offending(String scrape, String promtoolOutput) {
    StringBuilder lines = new StringBuilder();
    Pattern labelNames = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    promtoolOutput.lines().map(line -> line.split(" ")[0]).filter(name -> !name.isBlank()).distinct().forEach(name -> {
      java.util.Set<String> seen = new java.util.HashSet<>();
      scrape.lines().filter(line -> line.startsWith(name)).forEach(line -> {
        String names = labelNames.matcher(line).results().map(m -> m.group(1)).sorted().toList().toString();
        if (seen.add(names)) {
          lines.append(line).append('\n');
        }
      });
    });
    return lines.toString();
  }

  private record PromtoolResult(int exitCode, String output) {}

  /** Debian's {@code promtool} (on the PATH) with {@code args}, given {@code stdin} (may be null). */
  private static PromtoolResult promtool(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail("promtool is needed for this test (Debian package prometheus; .ci/run installs it): " + e.getMessage());
      return null;
    }
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("promtool did not finish in 30 s");
    }
    return new PromtoolResult(process.exitValue(), output);
  }
}
