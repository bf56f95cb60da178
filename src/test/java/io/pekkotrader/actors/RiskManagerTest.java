package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RiskManagerTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final TestProbe<Portfolio.Command> portfolio = testKit.createTestProbe();
  private final TestProbe<Notifier.Command> notifier = testKit.createTestProbe();
  private final EventSourcedBehaviorTestKit<RiskManager.Command, RiskManager.Event, RiskManager.State> risk =
      EventSourcedBehaviorTestKit.create(
          testKit.system(),
          RiskManager.create(
              portfolio.getRef(),
              notifier.getRef(),
              new RiskManager.Limits(3, new BigDecimal("0.01"), new BigDecimal("0.001"), Duration.ofSeconds(2)),
              new ActorTests.ManualClock(5_000),
              100));

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    risk.clear();
  }

  private static OrderIntent intent(String clientOrderId, IntentKind kind) {
    return new OrderIntent(clientOrderId, BTC, kind, kind == IntentKind.ENTRY ? Side.BUY : Side.SELL,
        new BigDecimal("2"), new BigDecimal("100"), "ma-crossover", "test", 0);
  }

  private TestProbe<RiskManager.Decision> evaluate(OrderIntent intent) {
    TestProbe<RiskManager.Decision> reply = testKit.createTestProbe();
    risk.runCommand(new RiskManager.Evaluate(intent, reply.getRef()));
    return reply;
  }

  private RiskManager.KillSwitchStatus engage(String reason) {
    return risk.<RiskManager.KillSwitchStatus>runCommand(replyTo -> new RiskManager.EngageKillSwitch(reason, replyTo)).reply();
  }

  @Test
  void approvesAnEntryOncePortfolioHasReservedItsFundsAndPersistsTheDecision() {
    TestProbe<RiskManager.Decision> reply = evaluate(intent("BTCUSDT-2", IntentKind.ENTRY));

    Portfolio.Reserve reserve = portfolio.expectMessageClass(Portfolio.Reserve.class, WAIT);
    assertEquals(0, new BigDecimal("202.202").compareTo(reserve.amount()), "200 × 1.01, plus 0.1% fee on that");
    assertEquals(3, reserve.maxOpenPositions());
    reserve.replyTo().tell(new Portfolio.ReserveResult("BTCUSDT-2", true, "approved", "reserved"));

    RiskManager.Decision decision = reply.receiveMessage(WAIT);
    assertTrue(decision.approved());
    assertEquals("approved", decision.reasonCode());
    assertEquals(decision, risk.getState().recent().get("BTCUSDT-2"));
    assertEquals(1, risk.getState().decisions());
  }

  @Test
  void rejectsAnEntryWithThePortfoliosReasonWhenFundsAreShort() {
    TestProbe<RiskManager.Decision> reply = evaluate(intent("BTCUSDT-2", IntentKind.ENTRY));
    Portfolio.Reserve reserve = portfolio.expectMessageClass(Portfolio.Reserve.class, WAIT);

    reserve.replyTo().tell(new Portfolio.ReserveResult("BTCUSDT-2", false, "insufficient_funds", "needs 202"));

    RiskManager.Decision decision = reply.receiveMessage(WAIT);
    assertFalse(decision.approved());
    assertEquals("insufficient_funds", decision.reasonCode());
  }

  @Test
  void rejectsEntriesWhileTheKillSwitchIsEngagedWithoutAskingPortfolio() {
    engage("operator test");

    RiskManager.Decision decision = evaluate(intent("BTCUSDT-2", IntentKind.ENTRY)).receiveMessage(WAIT);

    assertFalse(decision.approved());
    assertEquals("kill_switch", decision.reasonCode());
    assertTrue(decision.message().contains("operator test"));
    portfolio.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void alertsWhenTheKillSwitchIsEngagedAndReleased() {
    engage("daily loss limit");

    Notifier.Alert engaged = (Notifier.Alert) notifier.receiveMessage(WAIT);
    assertEquals("CRITICAL", engaged.severity());
    assertEquals("daily loss limit", engaged.fields().get("reason"));

    risk.<RiskManager.KillSwitchStatus>runCommand(replyTo -> new RiskManager.ReleaseKillSwitch("operator", replyTo));
    assertEquals("Kill switch released", ((Notifier.Alert) notifier.receiveMessage(WAIT)).title());
  }

  @Test
  void approvesExitsEvenWithTheKillSwitchEngaged() {
    engage("operator test");

    RiskManager.Decision decision = evaluate(intent("BTCUSDT-9", IntentKind.EXIT)).receiveMessage(WAIT);

    assertTrue(decision.approved());
  }

  @Test
  void answersARepeatedEvaluationWithTheSameDecisionAndPersistsNothingNew() {
    engage("x");
    RiskManager.Decision first = evaluate(intent("BTCUSDT-2", IntentKind.ENTRY)).receiveMessage(WAIT);
    risk.<RiskManager.KillSwitchStatus>runCommand(replyTo -> new RiskManager.ReleaseKillSwitch("y", replyTo));

    TestProbe<RiskManager.Decision> again = testKit.createTestProbe();
    var result = risk.runCommand(new RiskManager.Evaluate(intent("BTCUSDT-2", IntentKind.ENTRY), again.getRef()));

    assertEquals(first, again.receiveMessage(WAIT));
    assertEquals(List.of(), result.events());
  }

  @Test
  void keepsTheKillSwitchAndDecisionsAcrossARestart() {
    engage("drawdown");
    evaluate(intent("BTCUSDT-2", IntentKind.ENTRY)).receiveMessage(WAIT);

    risk.restart();

    assertTrue(risk.getState().killSwitch().engaged());
    assertEquals("drawdown", risk.getState().killSwitch().reason());
    assertEquals(1, risk.getState().decisions());
  }
}
