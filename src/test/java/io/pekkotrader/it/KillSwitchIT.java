package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a running engine: a losing run (1% fees, wide slippage) drives the daily loss past
 * a small limit → the kill switch engages by itself → a local webhook receives the alert → new
 * entries are rejected with {@code kill_switch} in the audit trail → exits are still approved →
 * kill -9 and restart: the kill switch and the cooldown are still there → the operator raises
 * the limit and releases the switch through the API → entries are approved again.
 */
class KillSwitchIT {
  @TempDir Path tmp;
  private HttpServer webhook;
  private final List<String> alerts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startWebhook() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/alerts",
        exchange -> {
          alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    webhook.start();
  }

  @AfterEach
  void stopWebhook() {
    webhook.stop(0);
  }

  @Test
  void aLosingRunEngagesTheKillSwitchWhichAlertsBlocksEntriesSurvivesKill9AndIsReleasedByTheOperator() throws Exception {
    Path data = tmp.resolve("data");
    Path config = tmp.resolve("losing.conf");
    Files.writeString(
        config,
        "pekko-trader {\n"
            + "  paper { fee-rate = \"0.01\", slippage-bps = \"20\" }\n"
            + "  risk { max-daily-loss = \"8\", cooldown-after-exit = 10m }\n"
            + "}\n");
    Map<String, String> extra =
        Map.of(
            "--config", config.toString(),
            "TRADER_ALERT_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");

    long engagedAt;
    String exitedSymbol;
    try (EngineProcess engine = EngineProcess.start(data, "simulator", "losing", extra)) {
      JsonNode risk = awaitRisk(engine, Duration.ofSeconds(120), "the kill switch to engage", r -> r.get("killSwitch").get("engaged").asBoolean());
      assertTrue(risk.get("killSwitch").get("reason").asText().startsWith("daily_loss_limit"), risk.toString());
      assertTrue(risk.get("dailyPnl").asText().startsWith("-"), risk.toString());
      assertTrue(engine.status().get("killSwitch").get("engaged").asBoolean(), "status shows it too");
      engagedAt = risk.get("killSwitch").get("sinceMs").asLong();

      awaitAlert("Kill switch engaged");

      List<JsonNode> audit = awaitAudit(engine, Duration.ofSeconds(120), "a rejected entry and an approved exit after the engagement",
          items -> after(items, engagedAt, "ENTRY", false, "kill_switch") != null && after(items, engagedAt, "EXIT", true, "approved") != null);
      exitedSymbol = after(audit, engagedAt, "EXIT", true, "approved").get("symbol").asText();
      assertTrue(audit.stream().anyMatch(i -> i.get("type").asText().equals("kill_switch_engaged") && i.get("by").asText().equals("automatic")));

      engine.kill9();
    }

    try (EngineProcess engine = EngineProcess.start(data, "simulator", "restarted", extra)) {
      JsonNode risk = awaitRisk(engine, Duration.ofSeconds(60), "risk after the restart", r -> true);
      assertTrue(risk.get("killSwitch").get("engaged").asBoolean(), "the kill switch survives kill -9: " + risk);
      assertEquals(engagedAt, risk.get("killSwitch").get("sinceMs").asLong());
      boolean cooling = false;
      for (JsonNode cooldown : risk.get("cooldowns")) {
        cooling |= cooldown.get("symbol").asText().equals(exitedSymbol) && cooldown.get("untilMs").asLong() > System.currentTimeMillis();
      }
      assertTrue(cooling, exitedSymbol + " is still cooling down after kill -9: " + risk);

      JsonNode limits = risk.get("limits");
      String raised = limits.toString().replace("\"maxDailyLoss\":\"8\"", "\"maxDailyLoss\":\"100000\"");
      assertFalse(raised.equals(limits.toString()), limits.toString());
      engine.call("PUT", "/api/v1/risk/limits", raised, 200);
      JsonNode released = engine.call("POST", "/api/v1/kill-switch", "{\"engaged\":false,\"reason\":\"loss reviewed, limit raised\"}", 200);
      assertFalse(released.get("engaged").asBoolean());
      long releasedAt = System.currentTimeMillis() - 1_000;

      awaitAudit(engine, Duration.ofSeconds(120), "an approved entry after the release",
          items -> after(items, releasedAt, "ENTRY", true, "approved") != null);
      awaitAlert("Kill switch released");
      assertEquals(0, engine.terminate());
    }
  }

  private static JsonNode awaitRisk(EngineProcess engine, Duration timeout, String what, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      if (!engine.isAlive()) {
        fail("engine exited while waiting for " + what + "\n" + engine.logTail());
      }
      try {
        JsonNode risk = engine.call("GET", "/api/v1/risk", null, 200);
        last = risk.toString();
        if (condition.test(risk)) {
          return risk;
        }
      } catch (java.io.IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    fail("timed out waiting for " + what + "; last " + last + "\n" + engine.logTail());
    return null;
  }

  private static List<JsonNode> awaitAudit(EngineProcess engine, Duration timeout, String what, Predicate<List<JsonNode>> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> items = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      items = new ArrayList<>();
      for (JsonNode item : engine.call("GET", "/api/v1/audit?limit=500", null, 200).get("items")) {
        items.add(item);
      }
      if (condition.test(items)) {
        return items;
      }
      Thread.sleep(500);
    }
    fail("timed out waiting for " + what + "; audit " + items + "\n" + engine.logTail());
    return null;
  }

  /** The first decision after {@code sinceMs} of that kind, outcome and reason, or null. */
  private static JsonNode after(List<JsonNode> items, long sinceMs, String kind, boolean approved, String reasonCode) {
    for (JsonNode item : items) {
      if (item.get("type").asText().equals("decision")
          && item.get("atMs").asLong() >= sinceMs
          && item.get("kind").asText().equals(kind)
          && item.get("approved").asBoolean() == approved
          && item.get("reasonCode").asText().equals(reasonCode)) {
        return item;
      }
    }
    return null;
  }

  private void awaitAlert(String title) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (alerts.stream().anyMatch(a -> a.contains(title))) {
        return;
      }
      Thread.sleep(100);
    }
    fail("the webhook never received \"" + title + "\"; received " + alerts);
  }
}
