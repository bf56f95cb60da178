package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Candle;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.RecoveryCheck;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Signal;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.SymbolState;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.execution.OrderGateway;
import io.pekkotrader.execution.OrderUpdate;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SymbolTraderTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Enters on every closed candle while flat, exits on every closed candle while holding. */
  private static final Strategy ALWAYS =
      new Strategy() {
        @Override
        public String name() {
          return "always";
        }

        @Override
        public int requiredCandles() {
          return 2;
        }

        @Override
        public BigDecimal stopPrice(BigDecimal entryPrice) {
          return entryPrice.multiply(new BigDecimal("0.99"));
        }

        @Override
        public Signal evaluate(List<Candle> candles, Position position) {
          return position.isFlat()
              ? new Signal(Signal.Action.ENTER_LONG, "test entry")
              : new Signal(Signal.Action.EXIT, "test exit");
        }
      };

  private TestProbe<RiskManager.Command> risk;
  private TestProbe<Portfolio.Command> portfolio;
  private TestProbe<OrderGateway.Command> orders;
  private TestProbe<Notifier.Command> notifier;
  private TestProbe<Topic.Command<RiskManager.KillSwitchStatus>> killSwitchTopic;
  private ActorTests.ManualClock clock;
  private EventSourcedBehaviorTestKit<SymbolTrader.Command, SymbolTrader.Event, SymbolState> trader;
  private long tradeSeq;

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void startTrader() {
    risk = testKit.createTestProbe();
    portfolio = testKit.createTestProbe();
    orders = testKit.createTestProbe();
    notifier = testKit.createTestProbe();
    killSwitchTopic = testKit.createTestProbe();
    clock = new ActorTests.ManualClock(1_000_000);
    trader = traderWith(ALWAYS);
  }

  private EventSourcedBehaviorTestKit<SymbolTrader.Command, SymbolTrader.Event, SymbolState> traderWith(Strategy strategy) {
    // a fresh symbol id per test keeps journals apart (the in-memory journal is shared)
    SymbolId symbol = new SymbolId("sim", "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase());
    return EventSourcedBehaviorTestKit.create(testKit.system(), SymbolTrader.create(symbol, s -> dependencies(strategy)));
  }

  /** The same symbol's journal run by an entity whose listing cannot trade, for {@code reason}. */
  private EventSourcedBehaviorTestKit<SymbolTrader.Command, SymbolTrader.Event, SymbolState> unusable(SymbolId symbol, String reason) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(), SymbolTrader.create(symbol, s -> dependencies(ALWAYS).unusableFor(reason)));
  }

  private SymbolTrader.Dependencies dependencies(Strategy strategy) {
    return
        new SymbolTrader.Dependencies(
            strategy,
            new TradingDecisions.Params(new BigDecimal("1000"), new BigDecimal("0.001"), 3_000),
            Duration.ofSeconds(1),
            Duration.ofHours(1),
            100,
            Duration.ofSeconds(2),
            100,
            2,
            risk.getRef(),
            portfolio.getRef(),
            orders.getRef(),
            notifier.getRef(),
            killSwitchTopic.getRef(),
            clock,
            null);
  }

  private SymbolId symbol() {
    return trader.getState().symbol();
  }

  private List<SymbolTrader.Event> trade(long timestampMs, String price) {
    Trade trade = new Trade("m" + (++tradeSeq), timestampMs, new BigDecimal(price), new BigDecimal("0.5"), Side.BUY);
    var result = trader.<Done>runCommand(replyTo -> new SymbolTrader.OnTrades(List.of(trade), replyTo));
    assertEquals(Done.getInstance(), result.reply());
    return result.events();
  }

  /** Trades until the symbol has persisted an entry intent; returns it. */
  private OrderIntent warmUpAndEnter() {
    trade(1_000_000, "100");
    trade(1_001_000, "101");
    assertEquals(List.of(), trade(1_001_500, "101"));
    List<SymbolTrader.Event> warm = trade(1_002_000, "102");
    assertInstanceOf(SymbolTrader.WarmUpCompleted.class, warm.get(0));
    List<SymbolTrader.Event> entry = trade(1_003_000, "103");
    assertEquals(1, entry.size());
    return ((SymbolTrader.EntryIntended) entry.get(0)).intent();
  }

  /** The next Evaluate sent to risk; kill-switch queries are answered "released" on the way. */
  private RiskManager.Evaluate expectEvaluate() {
    while (true) {
      RiskManager.Command message = risk.receiveMessage(WAIT);
      if (message instanceof RiskManager.GetKillSwitch query) {
        query.replyTo().tell(new RiskManager.KillSwitchStatus(false, null, 0));
      } else if (message instanceof RiskManager.Evaluate evaluate) {
        return evaluate;
      }
    }
  }

  private <T> T expectPortfolio(Class<T> type) {
    while (true) {
      Portfolio.Command message = portfolio.receiveMessage(WAIT);
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
  }

  private void approve(OrderIntent intent) {
    RiskManager.Evaluate evaluate = expectEvaluate();
    assertEquals(intent, evaluate.intent());
    evaluate.replyTo().tell(decision(intent, true, "approved"));
  }

  private static RiskManager.Decision decision(OrderIntent intent, boolean approved, String reason) {
    return new RiskManager.Decision(
        RiskManager.SCHEMA_VERSION, UUID.randomUUID().toString(), 0, intent.clientOrderId(), intent.symbol().id(), intent.kind(), intent.side().name(),
        intent.quantity(), intent.notional(), intent.strategy(), approved, reason, reason, "test-limits");
  }

  private Fill fill(OrderIntent intent, String tradeId, String quantity, String price) {
    return new Fill(tradeId, intent.clientOrderId(), intent.symbol(), intent.side(), new BigDecimal(quantity),
        new BigDecimal(price), new BigDecimal("0.01"), clock.millis());
  }

  private List<SymbolTrader.Event> report(OrderUpdate update) {
    return trader.runCommand(new SymbolTrader.ExecutionReport(update)).events();
  }

  private void awaitPhase(SymbolPhase phase) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(phase, trader.getState().phase());
      return null;
    });
  }

  @Test
  void aSymbolWhoseListingCannotTradeComesUpInErrorAlertsOnceAndStaysRemovable() {
    SymbolId symbol = symbol();
    trader = unusable(symbol, "unknown strategy '' (known: [ma-crossover])");

    SymbolTrader.SymbolView view = trader.<SymbolTrader.SymbolView>runCommand(SymbolTrader.GetSymbol::new).reply();
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      SymbolTrader.SymbolView recovered = trader.<SymbolTrader.SymbolView>runCommand(SymbolTrader.GetSymbol::new).reply();
      assertTrue(recovered.recovered(), "recovered: readiness does not wait on it");
      return null;
    });
    view = trader.<SymbolTrader.SymbolView>runCommand(SymbolTrader.GetSymbol::new).reply();
    assertEquals(SymbolPhase.ERROR, view.phase());
    assertTrue(view.error().contains("unknown strategy ''"), view.error());
    Notifier.Alert alert = notifier.expectMessageClass(Notifier.Alert.class, WAIT);
    assertEquals(Notifier.Severity.WARN, alert.severity(), "flat: nothing at risk");
    assertTrue(alert.title().contains(symbol.id()), alert.title());

    var trades = trader.<Done>runCommand(replyTo -> new SymbolTrader.OnTrades(
        List.of(new Trade("x1", 1_000_000, new BigDecimal("100"), BigDecimal.ONE, Side.BUY)), replyTo));
    assertEquals(Done.getInstance(), trades.reply(), "trades are taken (and dropped), never shed");
    assertTrue(trades.hasNoEvents());
    SymbolTrader.OperatorResult resume = trader.<SymbolTrader.OperatorResult>runCommand(SymbolTrader.Resume::new).reply();
    assertTrue(resume.error().contains("cannot trade"), resume.error());
    var paused = trader.<SymbolTrader.OperatorResult>runCommand(SymbolTrader.Pause::new);
    assertNull(paused.reply().error(), "a flat symbol pauses, so the registry can remove it");
    assertInstanceOf(SymbolTrader.Paused.class, paused.event());
    notifier.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aSymbolInAPositionWhoseListingTurnsUnusableKeepsItsPositionAndRaisesACriticalAlert() {
    OrderIntent intent = warmUpAndEnter();
    approve(intent);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    report(new OrderUpdate.Filled(intent.clientOrderId(), fill(intent, "f1", "9.708", "103")));
    report(new OrderUpdate.Ended(intent.clientOrderId(), OrderStatus.FILLED, "filled"));
    awaitPhase(SymbolPhase.IN_POSITION);
    SymbolId symbol = symbol();

    // a plain actor on the same journal (a second test kit on it would start from a cleared one)
    ActorRef<SymbolTrader.Command> restarted =
        testKit.spawn(SymbolTrader.create(symbol, s -> dependencies(ALWAYS).unusableFor("unknown strategy 'retired' (known: [ma-crossover])")));

    Notifier.Alert alert = (Notifier.Alert) notifier.fishForMessage(WAIT, m -> m instanceof Notifier.Alert
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0);
    assertEquals(Notifier.Severity.CRITICAL, alert.severity(), "a position nobody trades");
    TestProbe<SymbolTrader.SymbolView> views = testKit.createTestProbe();
    restarted.tell(new SymbolTrader.GetSymbol(views.getRef()));
    SymbolTrader.SymbolView view = views.receiveMessage(WAIT);
    assertEquals(SymbolPhase.ERROR, view.phase());
    assertTrue(view.error().contains("'retired'"), view.error());
    assertEquals(0, new BigDecimal("9.708").compareTo(view.positionQty()), "the journal's position stays known");
    TestProbe<SymbolTrader.OperatorResult> results = testKit.createTestProbe();
    restarted.tell(new SymbolTrader.Pause(results.getRef()));
    String refused = results.receiveMessage(WAIT).error();
    assertTrue(refused.startsWith("cannot pause in phase IN_POSITION"), refused);
    restarted.tell(new SymbolTrader.Flatten("operator", results.getRef()));
    assertTrue(results.receiveMessage(WAIT).error().contains("cannot trade"));
    orders.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void anOperatorsFlattenExitsThePositionWhateverTheStrategySaysThenPauses() {
    OrderIntent entry = warmUpAndEnter();
    approve(entry);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    report(new OrderUpdate.Filled(entry.clientOrderId(), fill(entry, "f1", "9.708", "103")));
    report(new OrderUpdate.Ended(entry.clientOrderId(), OrderStatus.FILLED, "filled"));
    awaitPhase(SymbolPhase.IN_POSITION);

    var flatten = trader.<SymbolTrader.OperatorResult>runCommand(replyTo -> new SymbolTrader.FlattenAndPause("flatten: by operator", replyTo));

    assertNull(flatten.reply().error());
    assertEquals("exit intended; pauses when flat", flatten.reply().outcome());
    assertEquals(new SymbolTrader.FlattenRequested("flatten: by operator", clock.millis(), true), flatten.event());
    awaitPhase(SymbolPhase.EXIT_WORKING);
    OrderIntent exit = trader.getState().order().intent();
    assertEquals(IntentKind.EXIT, exit.kind());
    assertEquals("flatten: flatten: by operator", exit.reason());
    assertEquals(0, new BigDecimal("9.708").compareTo(exit.quantity()), "the whole position");
    approve(exit);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    report(new OrderUpdate.Filled(exit.clientOrderId(), fill(exit, "f2", "9.708", "104")));
    report(new OrderUpdate.Ended(exit.clientOrderId(), OrderStatus.FILLED, "filled"));

    awaitPhase(SymbolPhase.PAUSED);
    assertFalse(trader.getState().pauseWhenFlat());
    var again = trader.<SymbolTrader.OperatorResult>runCommand(replyTo -> new SymbolTrader.FlattenAndPause("again", replyTo));
    assertEquals("flat and paused already", again.reply().outcome(), "safe to repeat");
    assertTrue(again.hasNoEvents());
  }

  @Test
  void anOperatorsFlattenOfAFlatSymbolPausesItAtOnceAndSurvivesARestart() {
    trade(1_000_000, "100");

    var flatten = trader.<SymbolTrader.OperatorResult>runCommand(replyTo -> new SymbolTrader.FlattenAndPause("flatten: by operator", replyTo));

    assertEquals("flat; pauses when flat", flatten.reply().outcome());
    awaitPhase(SymbolPhase.PAUSED);
    trader.restart();
    assertEquals(SymbolPhase.PAUSED, trader.getState().phase());
    assertFalse(trader.getState().pauseWhenFlat());
  }

  @Test
  void answersItsLastClosedCandlesOldestFirst() {
    trade(1_000_000, "100");
    trade(1_000_400, "102");
    trade(1_001_000, "101");
    trade(1_002_000, "99");

    SymbolTrader.Candles two = trader.<SymbolTrader.Candles>runCommand(replyTo -> new SymbolTrader.GetCandles(2, replyTo)).reply();
    SymbolTrader.Candles all = trader.<SymbolTrader.Candles>runCommand(replyTo -> new SymbolTrader.GetCandles(1000, replyTo)).reply();

    assertEquals(1_000, two.intervalMs());
    assertEquals(List.of(1_000_000L, 1_001_000L), two.candles().stream().map(Candle::openTimeMs).toList(), "the open candle is not closed yet");
    Candle first = two.candles().get(0);
    assertEquals(List.of("100", "102", "100", "102", "1.0", "2"),
        List.of(first.open().toPlainString(), first.high().toPlainString(), first.low().toPlainString(), first.close().toPlainString(),
            first.volume().toPlainString(), String.valueOf(first.trades())));
    assertEquals(two.candles(), all.candles());
    assertEquals(List.of(), trader.<SymbolTrader.Candles>runCommand(replyTo -> new SymbolTrader.GetCandles(0, replyTo)).reply().candles());
  }

  @Test
  void takesAnEntryThroughRiskTheVenueAndPortfolioIntoAPosition() {
    OrderIntent intent = warmUpAndEnter();
    assertEquals(SymbolPhase.ENTRY_PENDING, trader.getState().phase());
    assertEquals(IntentKind.ENTRY, intent.kind());
    assertEquals(0, new BigDecimal("9.708").compareTo(intent.quantity()), "1000 / 103 rounded down to 0.001");

    approve(intent);
    OrderGateway.PlaceOrder order = orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    assertEquals(intent, order.intent());
    awaitPhase(SymbolPhase.ENTRY_WORKING);

    Fill first = fill(intent, "f1", "4", "103.1");
    assertEquals(List.of(new SymbolTrader.FillRecorded(first)), report(new OrderUpdate.Filled(intent.clientOrderId(), first)));
    Portfolio.ApplyFill apply = expectPortfolio(Portfolio.ApplyFill.class);
    assertEquals(first, apply.fill());
    apply.replyTo().tell(StatusReply.ack());
    Fill second = fill(intent, "f2", "5.708", "103.2");
    report(new OrderUpdate.Filled(intent.clientOrderId(), second));
    expectPortfolio(Portfolio.ApplyFill.class).replyTo().tell(StatusReply.ack());
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(List.of(), trader.getState().unconfirmedFills(), "both fills confirmed by the portfolio");
      return null;
    });
    List<SymbolTrader.Event> ended = report(new OrderUpdate.Ended(intent.clientOrderId(), OrderStatus.FILLED, "filled"));

    assertInstanceOf(SymbolTrader.OrderEnded.class, ended.get(0));
    SymbolState state = trader.getState();
    assertEquals(SymbolPhase.IN_POSITION, state.phase());
    assertEquals(0, new BigDecimal("9.708").compareTo(state.position().quantity()));
    assertNull(state.order());
    assertEquals(intent.clientOrderId(), expectPortfolio(Portfolio.Release.class).clientOrderId());
  }

  @Test
  void logsEachStepOfAnOrderWithItsSymbolClientOrderIdAndDecisionIdInTheMdc() {
    String symbol = symbol().id();
    String clientOrderId = symbol().symbol() + "-2";

    OrderIntent intent =
        LoggingTestKit.info("entry intended " + clientOrderId)
            .withMdc(Map.of(Correlation.SYMBOL, symbol, Correlation.CLIENT_ORDER_ID, clientOrderId))
            .expect(testKit.system(), this::warmUpAndEnter);
    RiskManager.Decision approved = decision(intent, true, "approved");
    // logged after the persist: the journal's reply, not a command, is being handled then
    LoggingTestKit.info("approved by risk")
        .withMdc(Map.of(Correlation.SYMBOL, symbol, Correlation.CLIENT_ORDER_ID, clientOrderId, Correlation.EVENT_ID, approved.eventId()))
        .expect(
            testKit.system(),
            () -> {
              expectEvaluate().replyTo().tell(approved);
              return orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
            });
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    report(new OrderUpdate.Filled(intent.clientOrderId(), fill(intent, "m1", "9.708", "103")));

    LoggingTestKit.info("order " + clientOrderId + " ended FILLED")
        .withMdc(Map.of(Correlation.SYMBOL, symbol, Correlation.CLIENT_ORDER_ID, clientOrderId))
        .expect(testKit.system(), () -> report(new OrderUpdate.Ended(intent.clientOrderId(), OrderStatus.FILLED, "filled")));
  }

  @Test
  void logsItsDecisionWhenItChangesNotOnEveryCandle() {
    AtomicReference<String> reason = new AtomicReference<>("no crossover");
    trader = traderWith(holding(4, reason));
    AtomicLong at = new AtomicLong(1_000_000);
    Runnable candle = () -> trade(at.getAndAdd(1_000), "100");

    LoggingTestKit.info("decision: warming up").withOccurrences(1).expect(testKit.system(), () -> repeat(4, candle));
    LoggingTestKit.info("decision: warm-up complete").expect(testKit.system(), () -> repeat(1, candle));
    LoggingTestKit.info("decision: no crossover").withOccurrences(1).expect(testKit.system(), () -> repeat(5, candle));
    reason.set("crossover ignored: volatility 0.000050 < 0.000100");
    LoggingTestKit.info("decision: crossover ignored").withOccurrences(1).expect(testKit.system(), () -> repeat(3, candle));
    reason.set("no crossover");

    LoggingTestKit.info("decision: no crossover").withOccurrences(1).expect(testKit.system(), () -> repeat(3, candle));
  }

  /** Holds with the reason it is given, once it has {@code candles} candles. */
  private static Strategy holding(int candles, AtomicReference<String> reason) {
    return new Strategy() {
      @Override
      public String name() {
        return "holding";
      }

      @Override
      public int requiredCandles() {
        return candles;
      }

      @Override
      public BigDecimal stopPrice(BigDecimal entryPrice) {
        return entryPrice.multiply(new BigDecimal("0.99"));
      }

      @Override
      public Signal evaluate(List<Candle> history, Position position) {
        return Signal.hold(reason.get());
      }
    };
  }

  private static Void repeat(int times, Runnable action) {
    for (int i = 0; i < times; i++) {
      action.run();
    }
    return null;
  }

  @Test
  void derivesTheClientOrderIdFromTheSequenceNumberOfTheIntentEvent() {
    OrderIntent intent = warmUpAndEnter();

    // events so far: WarmUpCompleted (1), EntryIntended (2)
    assertEquals(symbol().symbol() + "-2", intent.clientOrderId());
  }

  @Test
  void appliesADuplicateFillOnlyOnce() {
    OrderIntent intent = warmUpAndEnter();
    approve(intent);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    Fill fill = fill(intent, "dup", "1", "103");

    List<SymbolTrader.Event> first = report(new OrderUpdate.Filled(intent.clientOrderId(), fill));
    List<SymbolTrader.Event> again = report(new OrderUpdate.Filled(intent.clientOrderId(), fill));

    assertEquals(1, first.size());
    assertEquals(List.of(), again);
    assertEquals(0, BigDecimal.ONE.compareTo(trader.getState().position().quantity()));
    assertEquals(1, trader.getState().fills());
  }

  @Test
  void returnsToReadyAndReleasesFundsWhenRiskRejects() {
    OrderIntent intent = warmUpAndEnter();

    RiskManager.Evaluate evaluate = expectEvaluate();
    evaluate.replyTo().tell(decision(intent, false, "insufficient_funds"));

    awaitPhase(SymbolPhase.READY);
    assertEquals(intent.clientOrderId(), expectPortfolio(Portfolio.Release.class).clientOrderId());
    orders.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void haltsWhenRiskRejectsWithTheKillSwitchAndResumesWhenItIsReleased() {
    OrderIntent intent = warmUpAndEnter();
    expectEvaluate().replyTo().tell(decision(intent, false, "kill_switch"));

    awaitPhase(SymbolPhase.HALTED);
    assertEquals(intent.clientOrderId(), expectPortfolio(Portfolio.Release.class).clientOrderId());

    List<SymbolTrader.Event> entryWhileHalted = trade(1_004_000, "104");
    assertInstanceOf(SymbolTrader.EntryIntended.class, entryWhileHalted.get(0), "halted and flat: entries are still proposed");
    OrderIntent second = ((SymbolTrader.EntryIntended) entryWhileHalted.get(0)).intent();
    expectEvaluate().replyTo().tell(decision(second, false, "kill_switch"));
    awaitPhase(SymbolPhase.HALTED);

    killSwitchAnnouncement(false);
    awaitPhase(SymbolPhase.READY);
  }

  @Test
  void aReleasedStatusFromTheSameMillisecondAsTheRejectionDoesNotReleaseIt() {
    OrderIntent intent = warmUpAndEnter();
    expectEvaluate().replyTo().tell(decision(intent, false, "kill_switch")); // the rejection's atMs is 0
    awaitPhase(SymbolPhase.HALTED);

    trader.runCommand(new SymbolTrader.KillSwitchChanged(new RiskManager.KillSwitchStatus(false, null, 0)));

    assertEquals(SymbolPhase.HALTED, trader.getState().phase(), "of two statuses from one millisecond, the engaged one wins");
  }

  @Test
  void haltsOnTheKillSwitchAnnouncementAndStillExitsItsPosition() {
    OrderIntent intent = warmUpAndEnter();
    approve(intent);

    killSwitchAnnouncement(true);
    // a working order is not halted under way: the phase follows once the order has ended
    assertEquals(SymbolPhase.ENTRY_WORKING, trader.getState().phase());
  }

  /** What the kill-switch topic delivers (through the symbol's adapter). */
  private void killSwitchAnnouncement(boolean engaged) {
    trader.runCommand(
        new SymbolTrader.KillSwitchChanged(new RiskManager.KillSwitchStatus(engaged, engaged ? "test" : null, clock.millis())));
  }

  @Test
  void asksRiskAgainAfterARestartInEntryPendingAndNeverPlacesTwice() {
    OrderIntent intent = warmUpAndEnter();
    expectEvaluate();

    trader.restart();

    RiskManager.Evaluate again = expectEvaluate();
    assertEquals(intent, again.intent());
    again.replyTo().tell(decision(intent, true, "approved"));
    assertEquals(intent, orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT).intent());
    orders.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void reconcilesAWorkingOrderAfterARestartAndEndsOneTheVenueDoesNotKnow() {
    OrderIntent intent = warmUpAndEnter();
    approve(intent);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    Fill partial = fill(intent, "p1", "2", "103");
    report(new OrderUpdate.Filled(intent.clientOrderId(), partial));

    SymbolState before = trader.getState();
    trader.restart();
    assertEquals(before, trader.getState(), "recovered state equals the persisted state");

    OrderGateway.QueryOrder query = orders.expectMessageClass(OrderGateway.QueryOrder.class, WAIT);
    assertEquals(intent.clientOrderId(), query.clientOrderId());
    query.replyTo().tell(new OrderUpdate.Report(intent.clientOrderId(), false, List.of(), null));

    awaitPhase(SymbolPhase.IN_POSITION);
    assertEquals(0, new BigDecimal("2").compareTo(trader.getState().position().quantity()));
    assertNull(trader.getState().order());
    orders.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void appliesFillsTheVenueReportsOnReconciliationThatWereMissed() {
    OrderIntent intent = warmUpAndEnter();
    approve(intent);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    trader.restart();
    Fill missed = fill(intent, "missed", "9.708", "103");

    OrderGateway.QueryOrder query = orders.expectMessageClass(OrderGateway.QueryOrder.class, WAIT);
    query.replyTo().tell(new OrderUpdate.Report(intent.clientOrderId(), true, List.of(missed), OrderStatus.FILLED));

    awaitPhase(SymbolPhase.IN_POSITION);
    assertEquals(1, trader.getState().fills());
    assertEquals(missed, expectPortfolio(Portfolio.ApplyFill.class).fill());
  }

  @Test
  void exitsAPositionAndCoolsDownBeforeTradingAgain() {
    OrderIntent entry = warmUpAndEnter();
    approve(entry);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    report(new OrderUpdate.Filled(entry.clientOrderId(), fill(entry, "e1", "9.708", "103")));
    report(new OrderUpdate.Ended(entry.clientOrderId(), OrderStatus.FILLED, "filled"));

    List<SymbolTrader.Event> exitEvents = trade(1_004_000, "104");
    OrderIntent exit = ((SymbolTrader.ExitIntended) exitEvents.get(0)).intent();
    assertEquals(Side.SELL, exit.side());
    approve(exit);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertTrue(trader.getState().order().approved());
      return null;
    });
    report(new OrderUpdate.Filled(exit.clientOrderId(), fill(exit, "x1", "9.708", "104")));
    clock.set(1_004_100);
    report(new OrderUpdate.Ended(exit.clientOrderId(), OrderStatus.FILLED, "filled"));

    assertEquals(SymbolPhase.COOLDOWN, trader.getState().phase());
    assertEquals(1_004_100 + 3_000, trader.getState().cooldownUntilMs());
    assertEquals(List.of(), trade(1_005_000, "105"), "no entry during the cooldown");
    clock.set(1_007_200);
    assertInstanceOf(SymbolTrader.CooldownElapsed.class, trade(1_006_000, "106").get(0));
  }

  @Test
  void aConfirmedFillRecordsWhenThePortfolioConfirmedItByTheTradersClock() {
    OrderIntent intent = warmUpAndEnter();
    approve(intent);
    orders.expectMessageClass(OrderGateway.PlaceOrder.class, WAIT);
    awaitPhase(SymbolPhase.ENTRY_WORKING);
    report(new OrderUpdate.Filled(intent.clientOrderId(), fill(intent, "f1", "9.708", "103")));
    Portfolio.ApplyFill apply = expectPortfolio(Portfolio.ApplyFill.class);
    clock.set(1_004_321);

    apply.replyTo().tell(StatusReply.ack());

    String persistenceId = SymbolTrader.persistenceId(symbol()).id();
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      List<Object> confirmed =
          trader.persistenceTestKit().persistedInStorage(persistenceId).stream().filter(SymbolTrader.FillConfirmed.class::isInstance).toList();
      assertEquals(List.of(new SymbolTrader.FillConfirmed("f1", 1_004_321)), confirmed);
      return null;
    });
  }

  @Test
  void recoversAFillConfirmationOfAJournalWrittenBeforeEventsCarriedTheirTime() throws Exception {
    SymbolId symbol = symbol();
    OrderIntent entry =
        new OrderIntent(symbol.symbol() + "-2", symbol, IntentKind.ENTRY, Side.BUY, new BigDecimal("1"),
            new BigDecimal("100"), "always", "test", 10);
    Fill fill = new Fill("h1", entry.clientOrderId(), symbol, Side.BUY, BigDecimal.ONE, new BigDecimal("100"), BigDecimal.ZERO, 20);
    // the shape the code before events carried their time wrote: the trade id alone
    ObjectMapper cbor =
        JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", java.util.Optional.of(new CBORFactory()));
    Serialization serialization = SerializationExtension.get(testKit.system());
    byte[] oldShape = cbor.writeValueAsBytes(cbor.createObjectNode().put("tradeId", "h1"));
    SymbolTrader.FillConfirmed confirmed =
        (SymbolTrader.FillConfirmed)
            serialization
                .deserialize(oldShape, serialization.serializerFor(SymbolTrader.FillConfirmed.class).identifier(), SymbolTrader.FillConfirmed.class.getName())
                .get();
    List<Object> history =
        List.of(
            new SymbolTrader.WarmUpCompleted(2, 0),
            new SymbolTrader.EntryIntended(entry),
            new SymbolTrader.IntentApproved(entry.clientOrderId(), "d1", 0),
            new SymbolTrader.FillRecorded(fill),
            confirmed,
            new SymbolTrader.OrderEnded(entry.clientOrderId(), OrderStatus.FILLED, "filled", 0, 30));
    trader.clear();
    trader.persistenceTestKit().persistForRecovery(SymbolTrader.persistenceId(symbol).id(), history);

    trader.restart();

    assertEquals(new SymbolTrader.FillConfirmed("h1", 0), confirmed, "0: the time is unknown");
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(SymbolPhase.IN_POSITION, trader.getState().phase());
      return null;
    });
    assertEquals(List.of(), trader.getState().unconfirmedFills(), "the old confirmation still confirms the fill");
    assertEquals(0, BigDecimal.ONE.compareTo(trader.getState().position().quantity()));
  }

  @Test
  void repairsAnInconsistentHistoryWithACorrectionEventInsteadOfTradingOnIt() {
    SymbolId symbol = symbol();
    OrderIntent entry =
        new OrderIntent(symbol.symbol() + "-2", symbol, IntentKind.ENTRY, Side.BUY, new BigDecimal("1"),
            new BigDecimal("100"), "always", "test", 0);
    Fill fill = new Fill("h1", entry.clientOrderId(), symbol, Side.BUY, BigDecimal.ONE, new BigDecimal("100"), BigDecimal.ZERO, 0);
    // a history written by a faulty version: the position was bought, then a correction put the symbol back to READY
    List<Object> history =
        List.of(
            new SymbolTrader.WarmUpCompleted(2, 0),
            new SymbolTrader.EntryIntended(entry),
            new SymbolTrader.IntentApproved(entry.clientOrderId(), "d1", 0),
            new SymbolTrader.FillRecorded(fill),
            new SymbolTrader.FillConfirmed("h1", 0),
            new SymbolTrader.StateCorrected(List.of(), SymbolPhase.ENTRY_WORKING, SymbolPhase.READY, entry.clientOrderId(), 0));
    trader.clear();
    trader.persistenceTestKit().persistForRecovery(SymbolTrader.persistenceId(symbol).id(), history);

    trader.restart();

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(SymbolPhase.IN_POSITION, trader.getState().phase());
      return null;
    });
    SymbolState repaired = trader.getState();
    assertEquals(2, repaired.corrections(), "the faulty one in the history and the repair");
    assertEquals(0, BigDecimal.ONE.compareTo(repaired.position().quantity()), "the bought quantity is a fact and stays");
    SymbolTrader.StateCorrected correction =
        (SymbolTrader.StateCorrected) trader.persistenceTestKit().expectNextPersistedClass(
            SymbolTrader.persistenceId(symbol).id(), SymbolTrader.StateCorrected.class);
    assertEquals(List.of("QUANTITY_IN_FLAT_PHASE"), correction.violations().stream().map(RecoveryCheck.Violation::code).toList());
    assertEquals(SymbolPhase.READY, correction.from());
    Notifier.Alert alert = (Notifier.Alert) notifier.receiveMessage(WAIT);
    assertEquals(Notifier.Severity.WARN, alert.severity());
    assertTrue(alert.fields().get("violations").contains("QUANTITY_IN_FLAT_PHASE"), alert.toString());

    // trading on it would have bought again from READY; repaired, the next candle exits instead
    List<SymbolTrader.Event> next = new java.util.ArrayList<>();
    next.addAll(trade(2_000_000, "100"));
    next.addAll(trade(2_001_000, "100"));
    next.addAll(trade(2_002_000, "100"));
    assertFalse(next.stream().anyMatch(e -> e instanceof SymbolTrader.EntryIntended), next.toString());
    assertEquals(1, next.stream().filter(e -> e instanceof SymbolTrader.ExitIntended).count(), next.toString());
  }

  @Test
  void answersItsViewWithPhasePositionAndWorkingOrder() {
    OrderIntent intent = warmUpAndEnter();

    SymbolTrader.SymbolView view = trader.<SymbolTrader.SymbolView>runCommand(SymbolTrader.GetSymbol::new).reply();

    assertEquals(symbol().id(), view.id());
    assertTrue(view.recovered());
    assertEquals(SymbolPhase.ENTRY_PENDING, view.phase());
    assertEquals(intent.clientOrderId(), view.workingOrder().clientOrderId());
    assertEquals(1, view.intents());
    assertEquals(0, new BigDecimal("103").compareTo(view.lastPrice()));
  }
}
