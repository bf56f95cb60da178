package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.actors.Notifier;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.RiskManager;
import io.pekkotrader.engine.Engine;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.persistence.AuditFile;
import io.pekkotrader.persistence.AuditProjection;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The risk routes on a real HTTP server in front of real RiskManager and Portfolio actors (in-memory
 * journal) and the audit projection: success, auth failure and validation failure per route; a
 * bad body never changes the limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RiskRoutesTest {
  private static final String KEY = "risk-routes-test-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ActorTestKit testKit;
  private ControlApiUnderTest api;

  @BeforeAll
  void start() throws Exception {
    testKit = ControlApiUnderTest.testKit();
    Settings settings = ControlApiUnderTest.settings();
    ActorRef<Notifier.Command> notifier = testKit.spawn(Notifier.create(List.of(), 1, settings.alerts().backoff()));
    ActorRef<Portfolio.Command> portfolio =
        testKit.spawn(Portfolio.create("USDT", new BigDecimal("10000"), TradingDay.UTC_MIDNIGHT, Clock.systemUTC(), 100, notifier));
    ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> topic =
        testKit.spawn(Topic.create(RiskManager.KillSwitchStatus.class, "kill-switch"));
    Settings.Risk risk = settings.risk();
    ActorRef<RiskManager.Command> riskManager =
        testKit.spawn(
            RiskManager.create(
                portfolio,
                notifier,
                topic,
                new RiskManager.Setup(
                    risk.limits(), BigDecimal.ZERO, BigDecimal.ZERO, Duration.ofSeconds(2), risk.cooldownAfterExit(),
                    risk.breakerStaleAfter(), Duration.ofHours(1), s -> risk.filters(new BigDecimal("0.001"))),
                Clock.systemUTC(),
                100));
    Path auditDir = Files.createTempDirectory("audit");
    AuditFile audit = new AuditFile(auditDir, 1 << 20, 3);
    PersistenceTestKitReadJournal journal =
        PersistenceQuery.get(testKit.system())
            .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    AuditProjection.start(
        testKit.system(), audit, from -> journal.eventsByPersistenceId(RiskManager.PERSISTENCE_ID.id(), from, Long.MAX_VALUE));
    Engine engine = new Engine(settings, 0, portfolio, riskManager, Map.of(), null, audit, null, null, new io.pekkotrader.actors.SymbolDirectory(settings.symbols()), null, null);
    api = ControlApiUnderTest.bind(testKit, engine, KEY, Duration.ofSeconds(10));
  }

  @AfterAll
  void stop() {
    api.close();
    testKit.shutdownTestKit();
  }

  private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    return api.send(method, path, body, key);
  }

  private JsonNode ok(String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, body, KEY);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private void assertBadRequest(String method, String path, String body, String field) throws Exception {
    HttpResponse<String> response = send(method, path, body, KEY);
    assertEquals(400, response.statusCode(), body + " -> " + response.body());
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertFalse(error.get("code").asText().isEmpty());
    assertEquals(field, error.get("field").isNull() ? null : error.get("field").asText(), response.body());
  }

  private static String limits(String maxDailyLoss, String maxOpenPositions) {
    return "{\"maxDailyLoss\":" + maxDailyLoss + ",\"maxLossPerTrade\":\"50\",\"maxOpenPositions\":" + maxOpenPositions
        + ",\"maxNotionalPerOrder\":\"2000\",\"maxNotionalPerSymbol\":\"3000\",\"maxGrossExposureMultiple\":\"1\","
        + "\"maxOrdersPerSymbolPerMinute\":10,\"maxOrdersPerMinute\":30,\"maxDrawdown\":\"0.2\"}";
  }

  @Test
  void everyRiskRouteRefusesAMissingOrWrongKey() throws Exception {
    for (String[] route : List.of(
        new String[] {"GET", "risk"}, new String[] {"PUT", "risk/limits"}, new String[] {"POST", "kill-switch"},
        new String[] {"GET", "audit"})) {
      String body = route[0].equals("GET") ? null : "{\"engaged\":true,\"reason\":\"x\"}";
      assertEquals(401, send(route[0], route[1], body, null).statusCode(), route[1]);
      assertEquals(401, send(route[0], route[1], body, KEY + "x").statusCode(), route[1]);
    }
  }

  @Test
  void showsTheLimitsTheirHashAndTheKillSwitch() throws Exception {
    JsonNode risk = ok("GET", "risk", null);

    assertEquals(64, risk.get("limitsHash").asText().length());
    assertTrue(risk.get("limits").get("maxDailyLoss").isTextual(), "decimals travel as strings");
    assertTrue(risk.get("limits").get("maxOpenPositions").isInt());
    assertTrue(risk.has("dailyPnl") && risk.has("breakers") && risk.has("cooldowns"));
  }

  @Test
  void changesTheLimitsAndAuditsTheChange() throws Exception {
    String before = ok("GET", "risk", null).get("limitsHash").asText();

    JsonNode changed = ok("PUT", "risk/limits", limits("\"400\"", "4"));

    assertNotEquals(before, changed.get("limitsHash").asText());
    assertEquals("400", ok("GET", "risk", null).get("limits").get("maxDailyLoss").asText());
    awaitAudit("limits_changed");
    ok("PUT", "risk/limits", limits("\"500\"", "5"));
  }

  @Test
  void refusesBadLimitsWith400NamingTheFieldAndChangesNothing() throws Exception {
    String before = ok("GET", "risk", null).get("limitsHash").asText();

    assertBadRequest("PUT", "risk/limits", limits("\"-1\"", "5"), "maxDailyLoss");
    assertBadRequest("PUT", "risk/limits", limits("\"abc\"", "5"), "maxDailyLoss");
    assertBadRequest("PUT", "risk/limits", limits("true", "5"), "maxDailyLoss");
    assertBadRequest("PUT", "risk/limits", limits("\"100\"", "\"5\""), "maxOpenPositions");
    assertBadRequest("PUT", "risk/limits", limits("\"100\"", "2.5"), "maxOpenPositions");
    assertBadRequest("PUT", "risk/limits", limits("\"100\"", "0"), "maxOpenPositions");
    assertBadRequest("PUT", "risk/limits", limits("\"100\"", "5").replace("\"maxDrawdown\":\"0.2\"", "\"maxDrawdown\":\"1.5\""), "maxDrawdown");
    assertBadRequest("PUT", "risk/limits", limits("\"100\"", "5").replace(",\"maxDrawdown\":\"0.2\"", ""), "maxDrawdown");
    assertBadRequest("PUT", "risk/limits", limits("\"100\"", "5").replace("}", ",\"bypass\":true}"), "bypass");
    assertBadRequest("PUT", "risk/limits", "{not json", null);
    assertBadRequest("PUT", "risk/limits", "[1,2]", null);
    assertBadRequest("PUT", "risk/limits", "", null);
    HttpResponse<String> huge = send("PUT", "risk/limits", "{\"x\":\"" + "a".repeat(100_000) + "\"}", KEY);
    assertEquals(413, huge.statusCode(), huge.body());

    assertEquals(before, ok("GET", "risk", null).get("limitsHash").asText(), "nothing changed");
  }

  @Test
  void engagesAndReleasesTheKillSwitchOnTheRecord() throws Exception {
    JsonNode engaged = ok("POST", "kill-switch", "{\"engaged\":true,\"reason\":\"maintenance\"}");
    assertTrue(engaged.get("engaged").asBoolean());
    assertTrue(ok("GET", "risk", null).get("killSwitch").get("engaged").asBoolean());

    JsonNode released = ok("POST", "kill-switch", "{\"engaged\":false,\"reason\":\"done\"}");
    assertFalse(released.get("engaged").asBoolean());

    awaitAudit("kill_switch_released");
    List<String> types = types(ok("GET", "audit?limit=500", null));
    assertEquals(List.of("kill_switch_released", "kill_switch_engaged"), types.subList(0, 2), "newest first: " + types);
  }

  @Test
  void refusesBadKillSwitchBodiesAndChangesNothing() throws Exception {
    boolean before = ok("GET", "risk", null).get("killSwitch").get("engaged").asBoolean();

    assertBadRequest("POST", "kill-switch", "{\"engaged\":\"yes\",\"reason\":\"x\"}", "engaged");
    assertBadRequest("POST", "kill-switch", "{\"reason\":\"x\"}", "engaged");
    assertBadRequest("POST", "kill-switch", "{\"engaged\":true}", "reason");
    assertBadRequest("POST", "kill-switch", "{\"engaged\":true,\"reason\":\"  \"}", "reason");
    assertBadRequest("POST", "kill-switch", "{\"engaged\":true,\"reason\":\"" + "r".repeat(201) + "\"}", "reason");
    assertBadRequest("POST", "kill-switch", "{\"engaged\":true,\"reason\":\"x\",\"force\":1}", "force");
    assertBadRequest("POST", "kill-switch", "null", null);

    assertEquals(before, ok("GET", "risk", null).get("killSwitch").get("engaged").asBoolean());
  }

  @Test
  void pagesTheAuditTrailNewestFirstAndRefusesBadParameters() throws Exception {
    ok("POST", "kill-switch", "{\"engaged\":true,\"reason\":\"page test\"}");
    ok("POST", "kill-switch", "{\"engaged\":false,\"reason\":\"page test\"}");
    awaitAudit("kill_switch_released");

    JsonNode first = ok("GET", "audit?limit=1", null);
    assertEquals(1, first.get("items").size());
    long cursor = first.get("nextBefore").asLong();
    JsonNode second = ok("GET", "audit?limit=1&before=" + cursor, null);
    assertTrue(second.get("items").get(0).get("seqNr").asLong() < first.get("items").get(0).get("seqNr").asLong());
    assertEquals(1, second.get("items").get(0).get("schemaVersion").asInt());

    assertBadRequest("GET", "audit?limit=0", null, "limit");
    assertBadRequest("GET", "audit?limit=501", null, "limit");
    assertBadRequest("GET", "audit?limit=abc", null, "limit");
    assertBadRequest("GET", "audit?before=-3", null, "before");
    assertBadRequest("GET", "audit?from=1", null, "from");
  }

  /** Waits until the newest line of the audit trail is of {@code type}. */
  private void awaitAudit(String type) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<String> types;
    while ((types = types(ok("GET", "audit?limit=500", null))).isEmpty() || !types.get(0).equals(type)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(type + " never reached the audit trail");
      }
      Thread.onSpinWait();
    }
  }

  private static List<String> types(JsonNode page) {
    List<String> types = new java.util.ArrayList<>();
    page.get("items").forEach(item -> types.add(item.get("type").asText()));
    return types;
  }
}
