package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.BTCUSDT;
import static io.pekkotrader.domain.TestData.buy;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.entryIntent;
import static io.pekkotrader.domain.TestData.exitIntent;
import static io.pekkotrader.domain.TestData.sell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolStateTest {
  private static final String ENTRY = "binance-BTCUSDT-2";
  private static final String EXIT = "binance-BTCUSDT-9";

  private static void assertQuantity(String expected, SymbolState state) {
    assertEquals(0, dec(expected).compareTo(state.position().quantity()), "quantity " + state.position().quantity());
  }

  @Test
  void startsWarmingUpFlatWithNothingInFlight() {
    SymbolState state = SymbolState.initial(BTCUSDT);

    assertEquals(SymbolPhase.WARMING_UP, state.phase());
    assertTrue(state.position().isFlat());
    assertFalse(state.hasOrder());
    assertEquals(List.of(), state.anomalies());
  }

  @Test
  void takesAnEntryFromIntentThroughPartialFillsToAPosition() {
    SymbolState ready = SymbolState.initial(BTCUSDT).warmUpCompleted();

    SymbolState pending = ready.intended(entryIntent(ENTRY, "1.0", "100"));
    SymbolState working = pending.approved(ENTRY);
    SymbolState accepted = working.accepted(ENTRY, "venue-77");
    SymbolState partlyFilled = accepted.filled(buy("t1", ENTRY, "0.4", "100", "0.04"));
    SymbolState filled = partlyFilled.filled(buy("t2", ENTRY, "0.6", "101", "0.0606"));
    SymbolState holding = filled.ended(ENTRY, 0);

    assertEquals(SymbolPhase.READY, ready.phase());
    assertEquals(SymbolPhase.ENTRY_PENDING, pending.phase());
    assertEquals(1, pending.intents());
    assertEquals("entry signal", pending.lastSignal());
    assertTrue(pending.isWorking(ENTRY));
    assertFalse(pending.order().approved());
    assertEquals(OrderState.NEW, pending.order().state());
    assertEquals(SymbolPhase.ENTRY_WORKING, working.phase());
    assertTrue(working.order().approved());
    assertEquals(OrderState.UNKNOWN, working.order().state(), "sent, nothing heard yet");
    assertEquals("venue-77", accepted.order().venueOrderId());
    assertEquals(OrderState.ACCEPTED, accepted.order().state());
    assertEquals(OrderState.PARTIALLY_FILLED, partlyFilled.order().state());
    assertEquals(OrderState.FILLED, filled.order().state());
    assertEquals(SymbolPhase.ENTRY_WORKING, partlyFilled.phase());
    assertQuantity("0.4", partlyFilled);
    assertEquals(0, dec("0.6").compareTo(partlyFilled.order().remainingQuantity()));
    assertQuantity("1.0", filled);
    assertEquals(0, dec("100.6").compareTo(filled.position().averagePrice()));
    assertTrue(filled.order().isFullyFilled());
    assertEquals(2, filled.fills());
    assertEquals(SymbolPhase.IN_POSITION, holding.phase());
    assertFalse(holding.hasOrder());
    assertQuantity("1.0", holding);
    assertEquals(List.of(), holding.anomalies());
  }

  @Test
  void takesAnExitThroughCooldownBackToReady() {
    SymbolState holding = TestData.inPosition(ENTRY, "1.0", "100");

    SymbolState exiting = holding.intended(exitIntent(EXIT, "1.0", "105"));
    SymbolState approved = exiting.approved(EXIT);
    SymbolState sold = approved.filled(sell("t9", EXIT, "1.0", "105", "0.105"));
    SymbolState cooling = sold.ended(EXIT, 90_000L);
    SymbolState ready = cooling.cooldownElapsed();

    assertEquals(SymbolPhase.EXIT_WORKING, exiting.phase());
    assertEquals(2, exiting.intents());
    assertEquals(SymbolPhase.EXIT_WORKING, approved.phase());
    assertTrue(approved.order().approved());
    assertTrue(sold.position().isFlat());
    assertEquals(SymbolPhase.COOLDOWN, cooling.phase());
    assertEquals(90_000L, cooling.cooldownUntilMs());
    assertFalse(cooling.hasOrder());
    assertEquals(SymbolPhase.READY, ready.phase());
    assertEquals(List.of(), ready.anomalies());
  }

  @Test
  void appliesAFillWithADuplicateTradeIdOnce() {
    SymbolState working = TestData.ready().intended(entryIntent(ENTRY, "1.0", "100")).approved(ENTRY);
    SymbolState once = working.filled(buy("t1", ENTRY, "0.4", "100", "0"));

    SymbolState twice = once.filled(buy("t1", ENTRY, "0.4", "100", "0"));

    assertSame(once, twice);
    assertQuantity("0.4", twice);
    assertEquals(1, twice.fills());
    assertEquals(1, twice.unconfirmedFills().size());
    assertTrue(twice.hasApplied("t1"));
  }

  @Test
  void recordsAFillForAForeignOrderAsAnAnomalyWithoutTouchingThePosition() {
    SymbolState working = TestData.ready().intended(entryIntent(ENTRY, "1.0", "100")).approved(ENTRY);

    SymbolState after = working.filled(buy("x1", "binance-BTCUSDT-999", "5", "100", "0"));

    assertTrue(after.position().isFlat());
    assertEquals(0, after.fills());
    assertEquals(List.of(), after.unconfirmedFills());
    assertEquals(SymbolPhase.ENTRY_WORKING, after.phase());
    assertEquals(1, after.anomalies().size());
    assertTrue(after.anomalies().get(0).contains("binance-BTCUSDT-999"), after.anomalies().get(0));
  }

  @Test
  void returnsToReadyWhenAnEntryEndsWithoutFills() {
    SymbolState working = TestData.ready().intended(entryIntent(ENTRY, "1.0", "100")).approved(ENTRY);

    SymbolState ended = working.ended(ENTRY, 99_000L);

    assertEquals(SymbolPhase.READY, ended.phase());
    assertFalse(ended.hasOrder());
    assertEquals(0, ended.cooldownUntilMs());
    assertEquals(List.of(), ended.anomalies());
  }

  @Test
  void returnsToReadyWhenRiskRejectsAnEntry() {
    SymbolState pending = TestData.ready().intended(entryIntent(ENTRY, "1.0", "100"));

    SymbolState rejected = pending.rejected(ENTRY);

    assertEquals(SymbolPhase.READY, rejected.phase());
    assertFalse(rejected.hasOrder());
  }

  @Test
  void staysInPositionWhenAnExitIsRejected() {
    SymbolState exiting = TestData.inPosition(ENTRY, "1.0", "100").intended(exitIntent(EXIT, "1.0", "100"));

    SymbolState rejected = exiting.rejected(EXIT);

    assertEquals(SymbolPhase.IN_POSITION, rejected.phase());
    assertFalse(rejected.hasOrder());
    assertQuantity("1.0", rejected);
    assertEquals(List.of(), rejected.anomalies());
  }

  @Test
  void returnsToPositionWhenAnExitEndsPartlyFilled() {
    SymbolState exiting = TestData.inPosition(ENTRY, "1.0", "100").intended(exitIntent(EXIT, "1.0", "100")).approved(EXIT);

    SymbolState ended = exiting.filled(sell("t9", EXIT, "0.3", "100", "0")).ended(EXIT, 90_000L);

    assertEquals(SymbolPhase.IN_POSITION, ended.phase());
    assertQuantity("0.7", ended);
    assertEquals(0, ended.cooldownUntilMs());
  }

  @Test
  void tracksUnconfirmedFillsUntilPortfolioConfirmsThem() {
    SymbolState working = TestData.ready().intended(entryIntent(ENTRY, "1.0", "100")).approved(ENTRY);
    SymbolState filled = working.filled(buy("t1", ENTRY, "0.4", "100", "0")).filled(buy("t2", ENTRY, "0.6", "100", "0"));

    SymbolState oneConfirmed = filled.fillConfirmed("t1");
    SymbolState bothConfirmed = oneConfirmed.fillConfirmed("t2");

    assertEquals(List.of("t1", "t2"), filled.unconfirmedFills().stream().map(Fill::tradeId).toList());
    assertEquals(List.of("t2"), oneConfirmed.unconfirmedFills().stream().map(Fill::tradeId).toList());
    assertEquals(List.of(), bothConfirmed.unconfirmedFills());
    assertEquals(2, bothConfirmed.fills());
  }

  @Test
  void keepsThePhaseAndRecordsAnAnomalyForAnEventTheTableRejects() {
    SymbolState warmingUp = SymbolState.initial(BTCUSDT);

    SymbolState after = warmingUp.cooldownElapsed();

    assertEquals(SymbolPhase.WARMING_UP, after.phase());
    assertEquals(List.of("COOLDOWN_ELAPSED is not allowed in phase WARMING_UP"), after.anomalies());
  }

  @Test
  void clearsAnomaliesAndCountsTheCorrectionWhenCorrected() {
    SymbolState broken = TestData.state(SymbolPhase.IN_POSITION, Position.FLAT, null, "something odd");

    SymbolState corrected = broken.corrected(SymbolPhase.READY, true);

    assertEquals(SymbolPhase.READY, corrected.phase());
    assertEquals(List.of(), corrected.anomalies());
    assertEquals(1, corrected.corrections());
    assertNull(corrected.order());
  }

  @Test
  void pauseAndResumeFollowTheTable() {
    SymbolState paused = TestData.ready().paused();
    assertEquals(SymbolPhase.PAUSED, paused.phase());
    assertEquals(SymbolPhase.READY, paused.resumed().phase());

    SymbolState holding = TestData.inPosition(ENTRY, "1", "100");
    SymbolState refused = holding.paused();
    assertEquals(SymbolPhase.IN_POSITION, refused.phase());
    assertEquals(1, refused.anomalies().size());
  }

  @Test
  void aFlattenIsRememberedUntilTheSymbolIsFlatWithNoOrder() {
    assertFalse(TestData.ready().flattenRequested("stop", false).flattenPending(), "nothing to flatten");

    SymbolState flattening = TestData.inPosition(ENTRY, "1", "100").flattenRequested("stop", false);
    assertTrue(flattening.flattenPending());

    SymbolState partlyOut =
        flattening
            .intended(TestData.exitIntent(EXIT, "1", "100"))
            .approved(EXIT)
            .filled(TestData.sell(EXIT + "-1", EXIT, "0.4", "100", "0"))
            .ended(EXIT, 0);
    assertEquals(SymbolPhase.IN_POSITION, partlyOut.phase());
    assertTrue(partlyOut.flattenPending(), "a position is left");

    String exit2 = "binance-BTCUSDT-12";
    SymbolState out =
        partlyOut
            .intended(TestData.exitIntent(exit2, "0.6", "100"))
            .approved(exit2)
            .filled(TestData.sell(exit2 + "-1", exit2, "0.6", "100", "0"))
            .ended(exit2, 0);
    assertEquals(SymbolPhase.COOLDOWN, out.phase());
    assertFalse(out.flattenPending());
  }

  @Test
  void aFlattenOfAnUnfilledEntryEndsWithTheRejection() {
    SymbolState pending = TestData.ready().intended(TestData.entryIntent(ENTRY, "1", "100")).flattenRequested("stop", false);
    assertTrue(pending.flattenPending());

    assertFalse(pending.rejected(ENTRY).flattenPending());
  }

  @Test
  void aFlattenThenPauseIsDueOnceFlatWithNoOrderAndClearsWhenPaused() {
    SymbolState flattening = TestData.inPosition(ENTRY, "1", "100").flattenRequested("operator", true);
    assertTrue(flattening.pauseWhenFlat());
    assertFalse(flattening.pauseDue(), "a position is held");

    SymbolState exiting = flattening.intended(TestData.exitIntent(EXIT, "1", "100")).approved(EXIT);
    assertFalse(exiting.pauseDue(), "an exit is working");
    SymbolState out = exiting.filled(TestData.sell(EXIT + "-1", EXIT, "1", "100", "0")).ended(EXIT, 0);
    assertEquals(SymbolPhase.COOLDOWN, out.phase());
    assertFalse(out.flattenPending());
    assertTrue(out.pauseDue());

    SymbolState paused = out.paused();
    assertEquals(SymbolPhase.PAUSED, paused.phase());
    assertFalse(paused.pauseWhenFlat(), "done");
  }

  @Test
  void aFlattenThenPauseOfAFlatSymbolIsDueAtOnceAndAnEmergencyFlattenNeverPauses() {
    assertTrue(TestData.ready().flattenRequested("operator", true).pauseDue());
    assertFalse(TestData.ready().flattenRequested("operator", true).flattenPending(), "nothing to exit");
    assertFalse(TestData.inPosition(ENTRY, "1", "100").flattenRequested("emergency", false).pauseWhenFlat());
  }
}
