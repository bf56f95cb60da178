package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.risk.PortfolioFigures;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.VenueFilters;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RiskManager with Portfolio and the venue as probes: every reason code a decision can carry
 * reaches the persisted audit trail, the kill switch engages by itself and by command, limits
 * change at run time, and state survives a restart.
 */
class RiskManagerTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final BigDecimal CAPITAL = new BigDecimal("10000");

  static final RiskLimits LIMITS =
      new RiskLimits(
          new BigDecimal("500"), new BigDecimal("50"), 3, new BigDecimal("2000"), new BigDecimal("3000"), BigDecimal.ONE, 2, 3,
          new BigDecimal("0.2"));

  private final TestProbe<Portfolio.Command> portfolio = testKit.createTestProbe();
  private final TestProbe<Notifier.Command> notifier = testKit.createTestProbe();
  private final TestProbe<Topic.Command<RiskManager.KillSwitchStatus>> topic = testKit.createTestProbe();
  private final TestProbe<VenueConnection.Command> venue = testKit.createTestProbe();
  private final ActorTests.ManualClock clock = new ActorTests.ManualClock(1_700_000_000_000L);
  private final String symbol = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
  private EventSourcedBehaviorTestKit<RiskManager.Command, RiskManager.Event, RiskManager.State> risk;

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    risk = EventSourcedBehaviorTestKit.create(testKit.system(), riskManager(Duration.ofHours(1)));
    risk.clear();
  }

  private Behavior<RiskManager.Command> riskManager(Duration watch) {
    return RiskManager.create(
        portfolio.getRef(),
        notifier.getRef(),
        topic.getRef(),
        new RiskManager.Setup(
            LIMITS,
            new BigDecimal("0.01"),
            new BigDecimal("0.001"),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            watch,
            s -> new VenueFilters(new BigDecimal("5"), new BigDecimal("0.001"), new BigDecimal("0.001"), new BigDecimal("0.01"))),
        clock,
        100);
  }

  // ---- test data ---------------------------------------------------------------------------

  private SymbolId symbol(String suffix) {
    return new SymbolId("sim", symbol + suffix);
  }

  private OrderIntent entry(String clientOrderId, String quantity) {
    return entry(symbol(""), clientOrderId, quantity);
  }

  private static OrderIntent entry(SymbolId symbol, String clientOrderId, String quantity) {
    return new OrderIntent(
        clientOrderId, symbol, IntentKind.ENTRY, Side.BUY, new BigDecimal(quantity), new BigDecimal("100"), "ma-crossover", "test", 0);
  }

  private OrderIntent exit(String clientOrderId) {
    return new OrderIntent(
        clientOrderId, symbol(""), IntentKind.EXIT, Side.SELL, new BigDecimal("2"), new BigDecimal("100"), "ma-crossover", "test", 0);
  }

  /** Healthy figures: flat, equity at starting capital, nothing open. */
  private static Portfolio.RiskFigures healthy() {
    return figures("10000", "10000", "10000", null, 0, false, "0", "0");
  }

  private static Portfolio.RiskFigures figures(
      String equity, String dayStart, String peak, String broken, int open, boolean symbolHasPosition, String symbolNotional, String gross) {
    return new Portfolio.RiskFigures(
        new PortfolioFigures(new BigDecimal(equity), new BigDecimal(peak), new BigDecimal(dayStart), 0, CAPITAL, broken),
        open,
        0,
        symbolHasPosition,
        false,
        new BigDecimal(symbolNotional),
        new BigDecimal(gross),
        "USDT",
        BigDecimal.ONE);
  }

  // ---- conversation helpers ----------------------------------------------------------------

  private TestProbe<RiskManager.Decision> evaluate(OrderIntent intent, String stopPrice) {
    TestProbe<RiskManager.Decision> reply = testKit.createTestProbe();
    risk.runCommand(new RiskManager.Evaluate(intent, stopPrice == null ? null : new BigDecimal(stopPrice), reply.getRef()));
    return reply;
  }

  /** Evaluates an entry with a stop at 99 (loss 1 per unit), answering Portfolio's questions. */
  private RiskManager.Decision decideEntry(OrderIntent intent, Portfolio.RiskFigures figures, Portfolio.ReserveResult reserve) {
    TestProbe<RiskManager.Decision> reply = evaluate(intent, "99");
    Portfolio.GetRiskFigures ask = portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT);
    assertEquals(intent.symbol(), ask.symbol());
    assertEquals(intent.clientOrderId(), ask.clientOrderId());
    ask.replyTo().tell(figures);
    if (reserve != null) {
      Portfolio.Reserve request = portfolio.expectMessageClass(Portfolio.Reserve.class, WAIT);
      request.replyTo().tell(reserve);
    }
    return reply.receiveMessage(WAIT);
  }

  private RiskManager.Decision approveEntry(OrderIntent intent) {
    return decideEntry(intent, healthy(), new Portfolio.ReserveResult(intent.clientOrderId(), true, "approved", "reserved"));
  }

  private RiskManager.Decision rejectEntry(OrderIntent intent, Portfolio.RiskFigures figures) {
    return decideEntry(intent, figures, null);
  }

  private RiskManager.KillSwitchStatus engage(String reason) {
    return risk.<RiskManager.KillSwitchStatus>runCommand(replyTo -> new RiskManager.EngageKillSwitch(reason, replyTo)).reply();
  }

  private RiskManager.KillSwitchStatus release(String reason) {
    return risk.<RiskManager.KillSwitchStatus>runCommand(replyTo -> new RiskManager.ReleaseKillSwitch(reason, replyTo)).reply();
  }

  /** The decision as persisted (the state is built from persisted events only). */
  private RiskManager.Decision audited(String clientOrderId) {
    RiskManager.Decision decision = risk.getState().recent().get(clientOrderId);
    assertNotNull(decision, clientOrderId + " is in the audit trail");
    assertEquals(RiskManager.SCHEMA_VERSION, decision.schemaVersion());
    assertEquals(LIMITS.sha256(), decision.limitsHash());
    assertEquals(36, decision.eventId().length());
    return decision;
  }

  private void assertRejectedAndAudited(RiskManager.Decision decision, String reasonCode) {
    assertFalse(decision.approved(), decision.toString());
    assertEquals(reasonCode, decision.reasonCode(), decision.message());
    assertEquals(decision, audited(decision.clientOrderId()));
  }

  // ---- approval ----------------------------------------------------------------------------

  @Test
  void approvesAnEntryThatPassesEveryCheckOncePortfolioHasReservedItsFunds() {
    TestProbe<RiskManager.Decision> reply = evaluate(entry("E-1", "2"), "99");
    portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT).replyTo().tell(healthy());
    Portfolio.Reserve reserve = portfolio.expectMessageClass(Portfolio.Reserve.class, WAIT);
    assertEquals(0, new BigDecimal("202.202").compareTo(reserve.amount()), "200 × 1.01, plus 0.1% fee on that");
    assertEquals(3, reserve.maxOpenPositions());
    reserve.replyTo().tell(new Portfolio.ReserveResult("E-1", true, "approved", "reserved"));

    RiskManager.Decision decision = reply.receiveMessage(WAIT);

    assertTrue(decision.approved());
    assertEquals("approved", decision.reasonCode());
    assertEquals(decision, audited("E-1"));
    assertEquals(1, risk.getState().decisions());
  }

  @Test
  void decidesOneEntryAtATimeSoTwoEntriesNeverShareOneLimit() {
    TestProbe<RiskManager.Decision> first = evaluate(entry("E-1", "2"), "99");
    Portfolio.GetRiskFigures firstAsk = portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT);
    TestProbe<RiskManager.Decision> second = evaluate(entry(symbol("B"), "E-2", "2"), "99");

    portfolio.expectNoMessage(Duration.ofMillis(200));
    firstAsk.replyTo().tell(healthy());
    portfolio.expectMessageClass(Portfolio.Reserve.class, WAIT).replyTo().tell(new Portfolio.ReserveResult("E-1", true, "approved", "ok"));
    assertTrue(first.receiveMessage(WAIT).approved());

    Portfolio.GetRiskFigures secondAsk = portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT);
    assertEquals("E-2", secondAsk.clientOrderId());
    secondAsk.replyTo().tell(figures("10000", "10000", "10000", null, 3, false, "0", "200"));
    assertRejectedAndAudited(second.receiveMessage(WAIT), "max_open_positions");
  }

  @Test
  void answersARepeatedEvaluationWithTheSameDecisionAndPersistsNothingNew() {
    RiskManager.Decision first = approveEntry(entry("E-1", "2"));

    TestProbe<RiskManager.Decision> again = testKit.createTestProbe();
    var result = risk.runCommand(new RiskManager.Evaluate(entry("E-1", "2"), new BigDecimal("99"), again.getRef()));

    assertEquals(first, again.receiveMessage(WAIT));
    assertEquals(List.of(), result.events());
    portfolio.expectNoMessage(Duration.ofMillis(100));
  }

  // ---- every reason code reaches the audit trail -------------------------------------------

  @Test
  void killSwitchRejectionReachesTheAuditTrail() {
    engage("operator test");

    RiskManager.Decision decision = rejectEntry(entry("E-1", "2"), healthy());

    assertRejectedAndAudited(decision, "kill_switch");
    assertTrue(decision.message().contains("operator test"));
  }

  @Test
  void logsARejectionWithTheSymbolClientOrderIdAndDecisionIdInTheMdc() {
    engage("operator test");
    java.util.concurrent.atomic.AtomicReference<String> eventId = new java.util.concurrent.atomic.AtomicReference<>();

    RiskManager.Decision decision =
        org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit.info("Rejected ENTRY E-1: kill_switch")
            .withMdc(java.util.Map.of(Correlation.SYMBOL, symbol("").id(), Correlation.CLIENT_ORDER_ID, "E-1"))
            .withCustom(event -> eventId.compareAndSet(null, event.getMdc().get(Correlation.EVENT_ID)))
            .expect(testKit.system(), () -> rejectEntry(entry("E-1", "2"), healthy()));

    assertEquals(decision.eventId(), eventId.get(), "the audited decision's id");
  }

  @Test
  void dailyLossLimitRejectionReachesTheAuditTrailOnceTheOperatorHasReleasedTheSwitch() {
    Portfolio.RiskFigures losing = figures("9400", "10000", "10000", null, 0, false, "0", "0");
    assertRejectedAndAudited(rejectEntry(entry("E-1", "2"), losing), "kill_switch");
    release("looked at it");

    assertRejectedAndAudited(rejectEntry(entry("E-2", "2"), losing), "daily_loss_limit");
    assertFalse(risk.getState().killSwitch().engaged(), "the same day's loss does not engage the switch twice");
  }

  @Test
  void maxLossPerTradeRejectionReachesTheAuditTrail() {
    TestProbe<RiskManager.Decision> reply = evaluate(entry("E-1", "2"), "70");
    portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT).replyTo().tell(healthy());

    assertRejectedAndAudited(reply.receiveMessage(WAIT), "max_loss_per_trade");
  }

  @Test
  void anEntryWithoutAStopIsRejectedForMaxLossPerTrade() {
    TestProbe<RiskManager.Decision> reply = evaluate(entry("E-1", "2"), null);
    portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT).replyTo().tell(healthy());

    assertRejectedAndAudited(reply.receiveMessage(WAIT), "max_loss_per_trade");
  }

  @Test
  void maxOpenPositionsRejectionReachesTheAuditTrail() {
    assertRejectedAndAudited(
        rejectEntry(entry("E-1", "2"), figures("10000", "10000", "10000", null, 3, false, "0", "0")), "max_open_positions");
  }

  @Test
  void duplicatePositionRejectionReachesTheAuditTrail() {
    assertRejectedAndAudited(
        rejectEntry(entry("E-1", "2"), figures("10000", "10000", "10000", null, 1, true, "200", "200")), "duplicate_position");
  }

  @Test
  void cooldownAfterAnExitRejectionReachesTheAuditTrailAndEnds() {
    assertTrue(evaluate(exit("X-1"), null).receiveMessage(WAIT).approved());
    clock.set(clock.millis() + 29_000);

    assertRejectedAndAudited(rejectEntry(entry("E-2", "2"), healthy()), "cooldown");

    clock.set(clock.millis() + 1_001);
    assertTrue(approveEntry(entry("E-3", "2")).approved());
  }

  @Test
  void circuitBreakerRejectionReachesTheAuditTrail() {
    testKit.system().receptionist().tell(Receptionist.register(RiskManager.VENUES, venue.getRef()));
    risk = EventSourcedBehaviorTestKit.create(testKit.system(), riskManager(Duration.ofMillis(50)));
    risk.clear();
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      ((VenueConnection.GetVenueStatus) venue.receiveMessage(WAIT))
          .replyTo()
          .tell(new VenueConnection.VenueStatus("sim", false, -1, 3, 0, false));
      RiskManager.RiskStatus status = risk.<RiskManager.RiskStatus>runCommand(RiskManager.GetRiskStatus::new).reply();
      assertTrue(status.breakers().containsKey("sim") && status.breakers().get("sim").open());
      return null;
    });

    TestProbe<RiskManager.Decision> reply = evaluate(exit("X-1"), null);

    assertRejectedAndAudited(reply.receiveMessage(WAIT), "circuit_breaker_open");
  }

  @Test
  void maxNotionalPerOrderRejectionReachesTheAuditTrail() {
    assertRejectedAndAudited(rejectEntry(entry("E-1", "20.001"), healthy()), "max_notional_per_order");
  }

  @Test
  void maxNotionalPerSymbolRejectionReachesTheAuditTrail() {
    Portfolio.RiskFigures nearLimit =
        new Portfolio.RiskFigures(
            healthy().figures(), 0, 0, false, false, new BigDecimal("2900"), new BigDecimal("2900"), "USDT", BigDecimal.ONE);

    assertRejectedAndAudited(rejectEntry(entry("E-1", "2"), nearLimit), "max_notional_per_symbol");
  }

  @Test
  void maxGrossExposureRejectionReachesTheAuditTrail() {
    assertRejectedAndAudited(
        rejectEntry(entry("E-1", "2"), figures("10000", "10000", "10000", null, 2, false, "0", "9900")), "max_gross_exposure");
  }

  @Test
  void orderRatePerSymbolRejectionReachesTheAuditTrail() {
    approveEntry(entry("E-1", "2"));
    approveEntry(entry("E-2", "2"));

    assertRejectedAndAudited(rejectEntry(entry("E-3", "2"), healthy()), "order_rate_symbol");

    clock.set(clock.millis() + 60_001);
    assertTrue(approveEntry(entry("E-4", "2")).approved(), "the window has moved on");
  }

  @Test
  void globalOrderRateRejectionReachesTheAuditTrail() {
    approveEntry(entry(symbol("A"), "A-1", "2"));
    approveEntry(entry(symbol("B"), "B-1", "2"));
    approveEntry(entry(symbol("C"), "C-1", "2"));

    assertRejectedAndAudited(rejectEntry(entry(symbol("D"), "D-1", "2"), healthy()), "order_rate_global");
  }

  @Test
  void minNotionalRejectionReachesTheAuditTrail() {
    assertRejectedAndAudited(rejectEntry(entry("E-1", "0.049"), healthy()), "min_notional");
  }

  @Test
  void lotSizeRejectionReachesTheAuditTrail() {
    assertRejectedAndAudited(rejectEntry(entry("E-1", "2.0005"), healthy()), "lot_size");
  }

  @Test
  void portfolioRefusalsReachTheAuditTrailWithThePortfoliosReason() {
    for (String reason : List.of("insufficient_funds", "max_open_positions", "portfolio_invariant")) {
      String id = "P-" + reason;
      RiskManager.Decision decision =
          decideEntry(entry(symbol(reason.substring(0, 3).toUpperCase()), id, "2"), healthy(), new Portfolio.ReserveResult(id, false, reason, "no"));
      assertRejectedAndAudited(decision, reason);
    }
  }

  @Test
  void portfolioUnavailableRejectionReachesTheAuditTrail() {
    TestProbe<RiskManager.Decision> reply = evaluate(entry("E-1", "2"), "99");
    portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT);

    assertRejectedAndAudited(reply.receiveMessage(WAIT), "portfolio_unavailable");
  }

  // ---- exits -------------------------------------------------------------------------------

  @Test
  void approvesExitsWithTheKillSwitchEngagedWithoutAskingPortfolio() {
    engage("operator test");

    RiskManager.Decision decision = evaluate(exit("X-1"), null).receiveMessage(WAIT);

    assertTrue(decision.approved());
    assertEquals(decision, audited("X-1"));
    portfolio.expectNoMessage(Duration.ofMillis(100));
  }

  // ---- kill switch -------------------------------------------------------------------------

  @Test
  void alertsAndAnnouncesWhenTheKillSwitchIsEngagedAndReleased() {
    engage("operator test");

    Notifier.Alert engaged = (Notifier.Alert) notifier.receiveMessage(WAIT);
    assertEquals(Notifier.Severity.CRITICAL, engaged.severity());
    assertEquals("operator test", engaged.fields().get("reason"));
    assertEquals("operator", engaged.fields().get("by"));
    assertPublished(true);

    release("operator");
    assertEquals("Kill switch released", ((Notifier.Alert) notifier.receiveMessage(WAIT)).title());
    assertPublished(false);
  }

  /** Skips earlier announcements (recovery publishes the state it recovered) up to one saying {@code engaged}. */
  private void assertPublished(boolean engaged) {
    while (true) {
      // Topic's publish command is internal to Pekko: recognise it by its text
      String message = topic.receiveMessage(WAIT).toString();
      if (message.startsWith("Publish(") && message.contains("KillSwitchStatus[engaged=" + engaged)) {
        return;
      }
    }
  }

  @Test
  void engagesByItselfWhenTheWatchSeesTheDailyLossLimitAndAlertsOnce() {
    risk = EventSourcedBehaviorTestKit.create(testKit.system(), riskManager(Duration.ofMillis(50)));
    risk.clear();
    Portfolio.RiskFigures losing = figures("9500", "10000", "10000", null, 0, false, "0", "0");

    portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT).replyTo().tell(losing);

    Notifier.Alert alert = (Notifier.Alert) notifier.receiveMessage(WAIT);
    assertEquals("automatic", alert.fields().get("by"));
    assertTrue(alert.fields().get("reason").startsWith("daily_loss_limit"), alert.fields().get("reason"));
    assertTrue(risk.getState().killSwitch().engaged());

    release("operator accepts the day");
    notifier.receiveMessage(WAIT);
    for (int i = 0; i < 3; i++) {
      portfolio.expectMessageClass(Portfolio.GetRiskFigures.class, WAIT).replyTo().tell(losing);
    }
    notifier.expectNoMessage(Duration.ofMillis(200));
    assertFalse(risk.getState().killSwitch().engaged(), "not overruled by the same day's loss");
  }

  @Test
  void staysReleasedJustAboveTheDailyLossLimit() {
    Portfolio.RiskFigures justAbove = figures("9500.01", "10000", "10000", null, 0, false, "0", "0");

    assertTrue(approveEntryWith(justAbove).approved());
    assertFalse(risk.getState().killSwitch().engaged());
  }

  private RiskManager.Decision approveEntryWith(Portfolio.RiskFigures figures) {
    return decideEntry(entry("E-1", "2"), figures, new Portfolio.ReserveResult("E-1", true, "approved", "ok"));
  }

  @Test
  void engagesByItselfAtTheMaxDrawdown() {
    Portfolio.RiskFigures drawnDown = figures("9600", "9600", "12000", null, 0, false, "0", "0");

    RiskManager.Decision decision = rejectEntry(entry("E-1", "2"), drawnDown);

    assertRejectedAndAudited(decision, "kill_switch");
    assertTrue(risk.getState().killSwitch().reason().startsWith("max_drawdown"), risk.getState().killSwitch().reason());
  }

  @Test
  void noConversionRateRejectionReachesTheAuditTrail() {
    Portfolio.RiskFigures btcWithoutRate =
        new Portfolio.RiskFigures(healthy().figures(), 0, 0, false, false, BigDecimal.ZERO, BigDecimal.ZERO, "BTC", null);

    RiskManager.Decision decision = rejectEntry(entry("E-1", "2"), btcWithoutRate);

    assertRejectedAndAudited(decision, "no_conversion_rate");
    assertTrue(decision.message().contains("BTC"), decision.message());
  }

  @Test
  void neitherTradesNorEngagesOnFiguresThatLeaveAnAssetOut() {
    // after a restart, before the first BTCUSDT price: the BTC pool is missing from the equity, not lost
    PortfolioFigures incomplete =
        new PortfolioFigures(
            new BigDecimal("8000"), new BigDecimal("12000"), new BigDecimal("12000"), 0, CAPITAL, null, List.of("BTC"));
    Portfolio.RiskFigures figures =
        new Portfolio.RiskFigures(incomplete, 0, 0, false, false, BigDecimal.ZERO, BigDecimal.ZERO, "USDT", BigDecimal.ONE);

    RiskManager.Decision decision = rejectEntry(entry("E-1", "2"), figures);

    assertRejectedAndAudited(decision, "no_conversion_rate");
    assertFalse(risk.getState().killSwitch().engaged(), "a day's loss of 4000 and a drawdown of a third, both unknown");
  }

  @Test
  void engagesByItselfWhenThePortfolioLedgerDoesNotReconcile() {
    Portfolio.RiskFigures broken = figures("10000", "10000", "10000", "negative cash -1", 0, false, "0", "0");

    assertRejectedAndAudited(rejectEntry(entry("E-1", "2"), broken), "kill_switch");
    assertTrue(risk.getState().killSwitch().reason().startsWith("portfolio_invariant"));
  }

  @Test
  void keepsTheKillSwitchCooldownsAndLimitsAcrossARestart() {
    engage("drawdown");
    evaluate(exit("X-1"), null).receiveMessage(WAIT);
    RiskLimits tighter = withMaxOpenPositions(1);
    risk.<RiskManager.LimitsChange>runCommand(replyTo -> new RiskManager.ChangeLimits(tighter, "test", replyTo));

    risk.restart();

    assertTrue(risk.getState().killSwitch().engaged());
    assertEquals("drawdown", risk.getState().killSwitch().reason());
    assertEquals(clock.millis() + 30_000, risk.getState().cooldownsUntilMs().get(symbol("").id()));
    assertEquals(tighter, risk.getState().limits());
    assertEquals(1, risk.getState().decisions());
  }

  // ---- limits ------------------------------------------------------------------------------

  private static RiskLimits withMaxOpenPositions(int max) {
    return new RiskLimits(
        LIMITS.maxDailyLoss(), LIMITS.maxLossPerTrade(), max, LIMITS.maxNotionalPerOrder(), LIMITS.maxNotionalPerSymbol(),
        LIMITS.maxGrossExposureMultiple(), LIMITS.maxOrdersPerSymbolPerMinute(), LIMITS.maxOrdersPerMinute(), LIMITS.maxDrawdown());
  }

  @Test
  void changesLimitsAtRunTimeAndAuditsTheNewHashInTheNextDecision() {
    RiskLimits tighter = withMaxOpenPositions(1);

    var result = risk.<RiskManager.LimitsChange>runCommand(replyTo -> new RiskManager.ChangeLimits(tighter, "api", replyTo));

    assertTrue(result.reply().accepted());
    assertEquals(tighter.sha256(), result.reply().limitsHash());
    RiskManager.LimitsChanged changed = (RiskManager.LimitsChanged) result.event();
    assertEquals("api", changed.changedBy());
    assertEquals(tighter.sha256(), changed.limitsHash());
    assertEquals("Risk limits changed", ((Notifier.Alert) notifier.receiveMessage(WAIT)).title());

    RiskManager.Decision decision =
        rejectEntry(entry("E-1", "2"), figures("10000", "10000", "10000", null, 1, false, "0", "0"));
    assertEquals("max_open_positions", decision.reasonCode());
    assertEquals(tighter.sha256(), decision.limitsHash());
  }

  @Test
  void refusesInvalidLimitsAndChangesNothing() {
    RiskLimits invalid =
        new RiskLimits(
            new BigDecimal("-1"), LIMITS.maxLossPerTrade(), 0, LIMITS.maxNotionalPerOrder(), LIMITS.maxNotionalPerSymbol(),
            LIMITS.maxGrossExposureMultiple(), 2, 3, LIMITS.maxDrawdown());

    var result = risk.<RiskManager.LimitsChange>runCommand(replyTo -> new RiskManager.ChangeLimits(invalid, "api", replyTo));

    assertFalse(result.reply().accepted());
    assertEquals(List.of("maxDailyLoss", "maxOpenPositions"), result.reply().violations().stream().map(RiskLimits.Violation::field).toList());
    assertEquals(LIMITS, result.reply().limits());
    assertEquals(List.of(), result.events());
    assertNull(risk.getState().limits());
  }
}
