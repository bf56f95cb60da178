package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.BTCUSDT;
import static io.pekkotrader.domain.TestData.MINUTE_MS;
import static io.pekkotrader.domain.TestData.buy;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.entryIntent;
import static io.pekkotrader.domain.TestData.trade;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolKernel.Decision;
import io.pekkotrader.domain.SymbolKernel.VenueUpdate;
import io.pekkotrader.domain.risk.RiskCheck;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The symbol's decisions, step by step, without actors: state in, events and effects out. */
class SymbolKernelTest {
  private static final TradingDecisions.Params PARAMS = new TradingDecisions.Params(dec("1000"), dec("0.001"), 5 * MINUTE_MS);

  /** What the strategy says next; it needs two candles. */
  private Signal.Action signal = Signal.Action.HOLD;

  private final Strategy strategy =
      new Strategy() {
        @Override
        public String name() {
          return "scripted";
        }

        @Override
        public int requiredCandles() {
          return 2;
        }

        @Override
        public BigDecimal stopPrice(BigDecimal entryPrice) {
          return entryPrice.multiply(dec("0.98"));
        }

        @Override
        public Signal evaluate(List<Candle> candles, Position position) {
          return new Signal(signal, "scripted " + signal);
        }
      };

  private SymbolKernel kernel;
  private SymbolState state;
  private long sequenceNr;
  private long nowMs;

  @BeforeEach
  void newSymbol() {
    kernel = new SymbolKernel(BTCUSDT, strategy, PARAMS, MINUTE_MS, 100, null);
    state = SymbolState.initial(BTCUSDT);
    sequenceNr = 0;
    nowMs = 0;
  }

  /** One step, its events applied as the actor's event handler would, its sequence numbers used. */
  private Decision on(SymbolKernel.Input input) {
    Decision decision = kernel.step(state, input, nowMs, sequenceNr + 1);
    state = SymbolEvent.applyAll(state, decision.events());
    sequenceNr += decision.events().size();
    return decision;
  }

  private Decision tradeAt(long timestampMs, String price) {
    nowMs = timestampMs;
    return on(new SymbolKernel.Trades(List.of(trade("t" + timestampMs, timestampMs, price, "1"))));
  }

  private Decision recoveredIn(SymbolState recovered) {
    state = recovered;
    return on(SymbolKernel.Recovered.INSTANCE);
  }

  private static <T> T only(Class<T> type, List<?> items) {
    List<?> matching = items.stream().filter(type::isInstance).toList();
    assertEquals(1, matching.size(), "one " + type.getSimpleName() + " in " + items);
    return type.cast(matching.get(0));
  }

  private static boolean has(Class<?> type, List<?> items) {
    return items.stream().anyMatch(type::isInstance);
  }

  @Test
  void takesAnEntryAndAnExitFromWarmUpToCooldown() {
    on(SymbolKernel.Recovered.INSTANCE);
    tradeAt(0, "100");
    tradeAt(MINUTE_MS, "100");
    Decision warmedUp = tradeAt(2 * MINUTE_MS, "100");
    assertEquals(List.of(new SymbolEvent.WarmUpCompleted(2, 2 * MINUTE_MS)), warmedUp.events());
    assertEquals(List.of(new SymbolKernel.MarkPrice(dec("100"))), warmedUp.effects().stream().filter(e -> !(e instanceof SymbolKernel.Log)).toList());

    signal = Signal.Action.ENTER_LONG;
    Decision entry = tradeAt(3 * MINUTE_MS, "100");
    OrderIntent intent = only(SymbolEvent.EntryIntended.class, entry.events()).intent();
    assertEquals("BTCUSDT-2", intent.clientOrderId(), "the id is the sequence number of the intent's event");
    assertEquals(0, dec("10").compareTo(intent.quantity()), "1000 of notional at 100");
    assertEquals(new SymbolKernel.AskRisk(intent, dec("98.00")), only(SymbolKernel.AskRisk.class, entry.effects()));
    assertEquals(SymbolPhase.ENTRY_PENDING, state.phase());

    Decision approved = on(new SymbolKernel.RiskDecided(intent.clientOrderId(), "risk-1", true, null, null, nowMs));
    assertEquals(List.of(new SymbolEvent.IntentApproved(intent.clientOrderId(), "risk-1", nowMs)), approved.events());
    assertEquals(new SymbolKernel.PlaceOrder(intent, dec("100")), only(SymbolKernel.PlaceOrder.class, approved.effects()));
    assertEquals(new SymbolKernel.ScheduleOrderCheck(intent.clientOrderId()), only(SymbolKernel.ScheduleOrderCheck.class, approved.effects()));

    on(new SymbolKernel.OrderReported(new VenueUpdate.Accepted(intent.clientOrderId(), "v-1")));
    Fill fill = buy("f-1", intent.clientOrderId(), "10.000", "100", "0");
    Decision filled = on(new SymbolKernel.OrderReported(new VenueUpdate.Filled(intent.clientOrderId(), fill)));
    assertEquals(List.of(new SymbolEvent.FillRecorded(fill)), filled.events());
    assertEquals(new SymbolKernel.ConfirmFill(fill), only(SymbolKernel.ConfirmFill.class, filled.effects()));
    assertEquals(List.of(new SymbolEvent.FillConfirmed("f-1", nowMs)), on(new SymbolKernel.FillConfirmed("f-1")).events());

    Decision ended = on(new SymbolKernel.OrderReported(new VenueUpdate.Ended(intent.clientOrderId(), OrderStatus.FILLED, "filled")));
    only(SymbolEvent.OrderEnded.class, ended.events());
    assertTrue(ended.effects().contains(new SymbolKernel.CancelOrderCheck(intent.clientOrderId())));
    assertTrue(ended.effects().contains(new SymbolKernel.ReleaseReservation(intent.clientOrderId())));
    assertEquals(SymbolPhase.IN_POSITION, state.phase());
    assertEquals(0, dec("10").compareTo(state.position().quantity()));

    signal = Signal.Action.EXIT;
    Decision exit = tradeAt(4 * MINUTE_MS, "110");
    OrderIntent exitIntent = only(SymbolEvent.ExitIntended.class, exit.events()).intent();
    assertEquals(new SymbolKernel.AskRisk(exitIntent, null), only(SymbolKernel.AskRisk.class, exit.effects()), "an exit has no stop");
    on(new SymbolKernel.RiskDecided(exitIntent.clientOrderId(), "risk-2", true, null, null, nowMs));
    on(new SymbolKernel.OrderReported(new VenueUpdate.Filled(exitIntent.clientOrderId(),
        TestData.sell("f-2", exitIntent.clientOrderId(), "10.000", "110", "0"))));
    on(new SymbolKernel.OrderReported(new VenueUpdate.Ended(exitIntent.clientOrderId(), OrderStatus.FILLED, "filled")));

    assertEquals(SymbolPhase.COOLDOWN, state.phase());
    assertTrue(state.position().isFlat());
    assertEquals(4 * MINUTE_MS + PARAMS.cooldownMs(), state.cooldownUntilMs());
  }

  @Test
  void theClocksTickClosesACandleWithoutATradeAndMarksTheSymbolAtItsClose() {
    on(SymbolKernel.Recovered.INSTANCE);
    tradeAt(1_000, "100");
    tradeAt(MINUTE_MS + 1_000, "101");

    nowMs = 2 * MINUTE_MS - 1;
    Decision early = on(SymbolKernel.Tick.INSTANCE);
    assertEquals(List.of(), early.effects(), "the candle's time is not up yet");
    nowMs = 2 * MINUTE_MS;
    Decision onTime = on(SymbolKernel.Tick.INSTANCE);

    assertTrue(onTime.effects().contains(new SymbolKernel.MarkPrice(dec("101"))), onTime.effects().toString());
    assertEquals(List.of(new SymbolEvent.WarmUpCompleted(2, 2 * MINUTE_MS)), onTime.events(), "two closed candles: warm-up done");
    nowMs = 2 * MINUTE_MS + 500;
    assertEquals(List.of(), on(SymbolKernel.Tick.INSTANCE).effects(), "nothing more closed");
  }

  @Test
  void waitsForRecoveryBeforeTakingTrades() {
    Decision early = tradeAt(0, "100");

    assertTrue(early.stash());
    assertNull(kernel.lastPrice(), "a stashed trade is not seen yet");
  }

  @Test
  void releasesTheReservationOfARejectedEntry() {
    recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")));

    Decision rejected = on(new SymbolKernel.RiskDecided("BTCUSDT-7", "risk-1", false, "max_position", "too big", nowMs));

    assertEquals(List.of(new SymbolEvent.IntentRejected("BTCUSDT-7", "max_position", "too big", nowMs)), rejected.events());
    assertTrue(rejected.effects().contains(new SymbolKernel.ReleaseReservation("BTCUSDT-7")));
    assertFalse(has(SymbolKernel.PlaceOrder.class, rejected.effects()));
    assertEquals(SymbolPhase.READY, state.phase());
    assertEquals("rejected by risk: max_position", kernel.lastDecision());
  }

  @Test
  void asksRiskAgainWhenItDidNotAnswer() {
    OrderIntent intent = entryIntent("BTCUSDT-7", "1", "100");
    recoveredIn(TestData.ready().intended(intent));

    Decision missing = on(new SymbolKernel.RiskMissing("BTCUSDT-7", "timeout"));

    assertEquals(new SymbolKernel.AskRisk(intent, dec("98.00")), only(SymbolKernel.AskRisk.class, missing.effects()));
  }

  @Test
  void haltsWhenTheKillSwitchIsEngagedAndResumesWhenReleased() {
    recoveredIn(TestData.ready());

    Decision halted = on(new SymbolKernel.KillSwitchChanged(new SymbolKernel.KillSwitch(true, "loss limit", 10)));
    Decision stale = on(new SymbolKernel.KillSwitchChanged(new SymbolKernel.KillSwitch(false, null, 5)));
    assertEquals(List.of(new SymbolEvent.Halted("loss limit", nowMs)), halted.events());
    assertEquals(List.of(), stale.events(), "older news does not release");
    assertEquals(SymbolPhase.HALTED, state.phase());

    Decision released = on(new SymbolKernel.KillSwitchChanged(new SymbolKernel.KillSwitch(false, null, 20)));
    assertEquals(List.of(new SymbolEvent.Released(nowMs)), released.events());
    assertEquals(SymbolPhase.READY, state.phase());
  }

  @Test
  void haltsWhenRiskRejectsForTheKillSwitch() {
    recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")));

    Decision rejected = on(new SymbolKernel.RiskDecided("BTCUSDT-7", "risk-1", false, RiskCheck.KILL_SWITCH.code(), "engaged by operator", 42));

    assertEquals(SymbolPhase.HALTED, state.phase());
    assertEquals(new SymbolEvent.Halted("engaged by operator", nowMs), rejected.events().get(1));
    assertEquals(new SymbolKernel.KillSwitch(true, "engaged by operator", 42), kernel.killSwitch());
  }

  @Test
  void flattensAPositionAtOnce() {
    recoveredIn(TestData.inPosition("BTCUSDT-3", "2", "100"));
    tradeAt(0, "105");
    sequenceNr = 10;

    Decision flatten = on(new SymbolKernel.Flatten("emergency"));
    assertEquals(new SymbolKernel.Reply("exit intended", null), flatten.reply());
    assertTrue(flatten.effects().contains(new SymbolKernel.FollowUp(SymbolKernel.FlattenNow.INSTANCE)));

    Decision exit = on(SymbolKernel.FlattenNow.INSTANCE);
    OrderIntent intent = only(SymbolEvent.ExitIntended.class, exit.events()).intent();
    assertEquals("BTCUSDT-12", intent.clientOrderId());
    assertEquals(dec("2"), intent.quantity());
    assertEquals("flatten: emergency", intent.reason());
  }

  @Test
  void cancelsAWorkingEntryToFlatten() {
    recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")).approved("BTCUSDT-7"));

    Decision flatten = on(new SymbolKernel.Flatten("emergency"));

    assertTrue(flatten.effects().contains(new SymbolKernel.CancelOrder("BTCUSDT-7")));
    assertEquals("entry order BTCUSDT-7 cancel sent; exit follows", flatten.reply().outcome());
  }

  @Test
  void pausesAFlatSymbolAfterFlattenAndPause() {
    recoveredIn(TestData.ready());

    Decision flatten = on(new SymbolKernel.FlattenAndPause("this one"));
    assertEquals(new SymbolKernel.Reply("flat; pauses when flat", null), flatten.reply());
    assertTrue(flatten.effects().contains(new SymbolKernel.FollowUp(SymbolKernel.PauseNow.INSTANCE)));

    Decision paused = on(SymbolKernel.PauseNow.INSTANCE);
    assertEquals(List.of(new SymbolEvent.Paused(nowMs)), paused.events());
    assertEquals(SymbolPhase.PAUSED, state.phase());
    assertEquals("flat and paused already", on(new SymbolKernel.FlattenAndPause("again")).reply().outcome());
  }

  @Test
  void refusesToPauseAPosition() {
    recoveredIn(TestData.inPosition("BTCUSDT-3", "2", "100"));

    Decision pause = on(SymbolKernel.Pause.INSTANCE);

    assertEquals(List.of(), pause.events());
    assertTrue(pause.reply().error().startsWith("cannot pause in phase IN_POSITION"));
  }

  @Test
  void recordsTheFillsReconciliationFoundMissingBeforeEndingTheOrder() {
    Fill seen = buy("f-1", "BTCUSDT-7", "0.4", "100", "0");
    Fill missed = buy("f-2", "BTCUSDT-7", "0.6", "100", "0");
    recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")).approved("BTCUSDT-7").filled(seen));

    Decision reconciled = on(new SymbolKernel.OrderQueried(new VenueUpdate.Status("BTCUSDT-7", true, List.of(seen, missed), OrderStatus.FILLED)));

    assertEquals(new SymbolEvent.FillRecorded(missed), reconciled.events().get(0));
    assertInstanceOf(SymbolEvent.OrderEnded.class, reconciled.events().get(1));
    assertTrue(reconciled.effects().contains(new SymbolKernel.ReconciliationMismatch(SymbolKernel.Mismatch.MISSING_FILL, 1)));
    assertTrue(reconciled.effects().contains(new SymbolKernel.ConfirmFill(missed)));
    assertFalse(reconciled.effects().contains(new SymbolKernel.ConfirmFill(seen)));
    assertEquals(SymbolPhase.IN_POSITION, state.phase());
    assertEquals(0, dec("1").compareTo(state.position().quantity()));
  }

  @Test
  void asksTheVenueForMissingFillsBeforeEndingAnOrderItSaysIsFilled() {
    recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")).approved("BTCUSDT-7"));

    Decision ended = on(new SymbolKernel.OrderReported(new VenueUpdate.Ended("BTCUSDT-7", OrderStatus.FILLED, "filled")));

    assertEquals(List.of(), ended.events());
    assertEquals(List.of(new SymbolKernel.QueryOrder("BTCUSDT-7")), ended.effects());
  }

  @Test
  void ignoresAFillItHasAlreadyRecorded() {
    Fill fill = buy("f-1", "BTCUSDT-7", "0.4", "100", "0");
    recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")).approved("BTCUSDT-7").filled(fill));

    Decision again = on(new SymbolKernel.OrderReported(new VenueUpdate.Filled("BTCUSDT-7", fill)));

    assertEquals(List.of(), again.events());
    assertEquals(List.of(), again.effects());
  }

  @Test
  void resumesOpenWorkAfterRecovery() {
    Fill unconfirmed = buy("f-1", "BTCUSDT-7", "0.4", "100", "0");

    Decision recovered = recoveredIn(TestData.ready().intended(entryIntent("BTCUSDT-7", "1", "100")).approved("BTCUSDT-7").filled(unconfirmed));

    assertTrue(kernel.validated());
    assertEquals(List.of(), recovered.events());
    assertTrue(recovered.effects().contains(SymbolKernel.AskKillSwitch.INSTANCE));
    assertTrue(recovered.effects().contains(new SymbolKernel.ConfirmFill(unconfirmed)));
    assertTrue(recovered.effects().contains(new SymbolKernel.SyncPortfolio("BTCUSDT-7")));
    assertTrue(recovered.effects().contains(new SymbolKernel.QueryOrder("BTCUSDT-7")));
  }

  @Test
  void correctsABrokenStateOnRecoveryAndAlerts() {
    Decision recovered = recoveredIn(TestData.state(SymbolPhase.IN_POSITION, Position.FLAT, null));

    SymbolEvent.StateCorrected correction = only(SymbolEvent.StateCorrected.class, recovered.events());
    assertEquals(SymbolPhase.READY, correction.to());
    assertEquals(SymbolKernel.Severity.WARN, only(SymbolKernel.Alert.class, recovered.effects()).severity());
    assertEquals(SymbolPhase.READY, state.phase());
  }

  @Test
  void aSymbolThatCannotTradeDropsTradesAndRefusesToResume() {
    kernel = new SymbolKernel(BTCUSDT, null, PARAMS, MINUTE_MS, 100, "strategy missing");
    Decision recovered = on(SymbolKernel.Recovered.INSTANCE);
    assertEquals(SymbolKernel.Severity.WARN, only(SymbolKernel.Alert.class, recovered.effects()).severity());

    Decision trades = tradeAt(MINUTE_MS, "100");
    Decision resume = on(SymbolKernel.Resume.INSTANCE);

    assertEquals(List.of(), trades.events());
    assertFalse(trades.stash());
    assertEquals("the symbol cannot trade: strategy missing", resume.reply().error());
    assertEquals("cannot trade: strategy missing", kernel.lastDecision());
  }
}
