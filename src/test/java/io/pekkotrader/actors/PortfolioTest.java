package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.util.List;
import org.apache.pekko.Done;
import io.pekkotrader.domain.risk.TradingDay;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortfolioTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("sim:ETHUSDT");
  /** 2023-11-14T00:00:00Z. */
  private static final long DAY_ONE = 1_699_920_000_000L;

  private final ActorTests.ManualClock clock = new ActorTests.ManualClock(DAY_ONE + 3_600_000);
  private final TestProbe<Notifier.Command> notifier = testKit.createTestProbe();
  private final EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> portfolio =
      EventSourcedBehaviorTestKit.create(
          testKit.system(), Portfolio.create("USDT", new BigDecimal("1000"), TradingDay.UTC_MIDNIGHT, clock, 100, notifier.getRef()));

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    portfolio.clear();
  }

  private Portfolio.ReserveResult reserve(String clientOrderId, SymbolId symbol, String amount, int maxOpen) {
    return portfolio
        .<Portfolio.ReserveResult>runCommand(replyTo -> new Portfolio.Reserve(clientOrderId, symbol, new BigDecimal(amount), maxOpen, replyTo))
        .reply();
  }

  private StatusReply<Done> apply(Fill fill) {
    return portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.ApplyFill(fill, replyTo)).reply();
  }

  private static Fill buy(String tradeId, String clientOrderId, String qty, String price, String fee) {
    return new Fill(tradeId, clientOrderId, BTC, Side.BUY, new BigDecimal(qty), new BigDecimal(price), new BigDecimal(fee), 0);
  }

  private Ledger ledger() {
    return portfolio.getState().ledger();
  }

  @Test
  void reservesFundsUpToWhatIsAvailable() {
    assertTrue(reserve("a-1", BTC, "600", 5).reserved());

    Portfolio.ReserveResult refused = reserve("a-2", ETH, "400.01", 5);

    assertFalse(refused.reserved());
    assertEquals("insufficient_funds", refused.reasonCode());
    assertTrue(reserve("a-3", ETH, "400", 5).reserved(), "exactly what is available");
    assertEquals(0, BigDecimal.ZERO.compareTo(ledger().book("USDT").available()));
  }

  @Test
  void refusesAnEntryBeyondTheMaximumOfOpenPositions() {
    reserve("a-1", BTC, "100", 1);

    Portfolio.ReserveResult refused = reserve("b-1", ETH, "100", 1);

    assertFalse(refused.reserved());
    assertEquals("max_open_positions", refused.reasonCode());
  }

  @Test
  void answersTheSameReservationTwiceWithoutHoldingFundsTwice() {
    reserve("a-1", BTC, "600", 5);

    var again = portfolio.<Portfolio.ReserveResult>runCommand(
        replyTo -> new Portfolio.Reserve("a-1", BTC, new BigDecimal("600"), 5, replyTo));

    assertTrue(again.reply().reserved());
    assertEquals(List.of(), again.events());
    assertEquals(0, new BigDecimal("600").compareTo(ledger().book("USDT").reserved()));
  }

  @Test
  void commitsFillsFromTheReservationAndReleasesTheRestWhenTheOrderEnds() {
    reserve("a-1", BTC, "606", 5);
    apply(buy("t1", "a-1", "2", "100", "0.2"));
    apply(buy("t2", "a-1", "3", "100", "0.3"));

    assertEquals(0, new BigDecimal("499.5").compareTo(ledger().book("USDT").cash()));
    assertEquals(0, new BigDecimal("105.5").compareTo(ledger().book("USDT").reserved()));

    portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.Release("a-1", replyTo));

    assertEquals(0, BigDecimal.ZERO.compareTo(ledger().book("USDT").reserved()), "an ended order leaves no reservation");
    assertEquals(0, new BigDecimal("499.5").compareTo(ledger().book("USDT").available()));
  }

  @Test
  void appliesAFillOncePerTradeId() {
    Fill fill = buy("t1", "a-1", "1", "100", "0.1");
    apply(fill);

    var again = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.ApplyFill(fill, replyTo));

    assertTrue(again.reply().isSuccess());
    assertEquals(List.of(), again.events());
    assertEquals(1, ledger().fills());
  }

  @Test
  void refusesASellLargerThanThePositionAndChangesNothing() {
    apply(buy("t1", "a-1", "1", "100", "0"));
    Fill oversell = new Fill("t2", "x-1", BTC, Side.SELL, new BigDecimal("2"), new BigDecimal("100"), BigDecimal.ZERO, 0);

    var refused = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.ApplyFill(oversell, replyTo));

    assertTrue(refused.reply().isError());
    assertEquals(List.of(), refused.events());
  }

  @Test
  void releasesReservationsASymbolNoLongerHasAnOrderFor() {
    reserve("a-1", BTC, "100", 5);
    reserve("b-1", ETH, "100", 5);

    var synced = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.SyncSymbol(BTC, null, replyTo));

    assertEquals(1, synced.events().size());
    assertEquals(List.of("b-1"), List.copyOf(ledger().reservations().keySet()));
  }

  @Test
  void keepsTheLiveOrdersReservationOnSync() {
    reserve("a-1", BTC, "100", 5);

    var synced = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.SyncSymbol(BTC, "a-1", replyTo));

    assertEquals(List.of(), synced.events());
  }

  @Test
  void recoversTheSameLedgerAfterARestart() {
    reserve("a-1", BTC, "606", 5);
    apply(buy("t1", "a-1", "2", "100", "0.2"));
    Ledger before = ledger();

    portfolio.restart();

    assertEquals(before, ledger());
    assertEquals(new Reservation("a-1", BTC, new BigDecimal("405.8")).amount().compareTo(ledger().reservations().get("a-1").amount()), 0);
  }

  @Test
  void summarisesEquityAtTheLatestMarkPrice() {
    apply(buy("t1", "a-1", "2", "100", "0.2"));
    portfolio.runCommand(new Portfolio.MarkPrice(BTC, new BigDecimal("110")));

    Portfolio.Summary summary = portfolio.<Portfolio.Summary>runCommand(Portfolio.GetSummary::new).reply();

    assertEquals(0, new BigDecimal("799.8").compareTo(summary.cash()));
    assertEquals(0, new BigDecimal("1019.8").compareTo(summary.equity()));
    assertEquals(0, new BigDecimal("20").compareTo(summary.unrealizedPnl()));
    assertEquals(0, new BigDecimal("-0.2").compareTo(summary.realizedPnl()));
    assertEquals(1, summary.openPositions());
  }

  private Portfolio.RiskFigures riskFigures(SymbolId symbol, String clientOrderId) {
    return portfolio.<Portfolio.RiskFigures>runCommand(replyTo -> new Portfolio.GetRiskFigures(symbol, clientOrderId, replyTo)).reply();
  }

  private static BigDecimal dec(String value) {
    return new BigDecimal(value);
  }

  @Test
  void startsATradingDayAtTheBoundaryAndCountsTheDailyPnlFromIt() {
    var first = portfolio.<Portfolio.RiskFigures>runCommand(replyTo -> new Portfolio.GetRiskFigures(null, null, replyTo));
    assertEquals(new Portfolio.TradingDayStarted(DAY_ONE, dec("1000")), first.event());

    apply(buy("t1", "a-1", "2", "100", "0.2"));
    portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("90")));
    assertEquals(0, dec("-20.2").compareTo(riskFigures(null, null).figures().dailyPnl()));

    clock.set(DAY_ONE + 86_400_000);
    var nextDay = portfolio.<Portfolio.RiskFigures>runCommand(replyTo -> new Portfolio.GetRiskFigures(null, null, replyTo));
    assertEquals(new Portfolio.TradingDayStarted(DAY_ONE + 86_400_000, dec("979.8")), nextDay.event());
    assertEquals(0, BigDecimal.ZERO.compareTo(nextDay.reply().figures().dailyPnl()));

    portfolio.restart();
    assertEquals(DAY_ONE + 86_400_000, portfolio.getState().dayStartMs(), "the day start survives a restart");
    assertEquals(0, dec("979.8").compareTo(portfolio.getState().dayStartEquity()));
  }

  @Test
  void raisesThePeakEquityAndMeasuresTheDrawdownFromIt() {
    apply(buy("t1", "a-1", "2", "100", "0"));
    portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("200")));
    var raised = portfolio.<Portfolio.RiskFigures>runCommand(replyTo -> new Portfolio.GetRiskFigures(null, null, replyTo));
    assertTrue(raised.events().contains(new Portfolio.EquityPeakRaised(dec("1200"), clock.millis())), raised.events().toString());

    portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("150")));
    Portfolio.RiskFigures figures = riskFigures(null, null);

    assertEquals(0, dec("1200").compareTo(figures.figures().peakEquity()));
    assertEquals(0, dec("0.0833333333333").compareTo(figures.figures().drawdown().setScale(13, java.math.RoundingMode.HALF_EVEN)));
    portfolio.restart();
    assertEquals(0, dec("1200").compareTo(portfolio.getState().peakEquity()), "the peak survives a restart");
  }

  @Test
  void reportsWhatTheRiskChecksNeedWithoutTheOrderBeingDecided() {
    apply(buy("t1", "a-1", "2", "100", "0"));
    portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("110")));
    reserve("e-1", ETH, "300", 5);
    reserve("e-2", ETH, "50", 5);

    Portfolio.RiskFigures eth = riskFigures(ETH, "e-2");

    assertEquals(1, eth.openPositions());
    assertEquals(1, eth.workingEntries(), "e-1 only: e-2 is the order being decided");
    assertFalse(eth.symbolHasPosition());
    assertTrue(eth.symbolHasWorkingOrder());
    assertEquals(0, dec("520").compareTo(eth.grossExposure()), "220 of BTC at 110 plus e-1's 300");
    assertEquals(0, dec("220").compareTo(riskFigures(BTC, null).symbolNotional()));
  }

  @Test
  void recordsABrokenInvariantAlertsAndRefusesEntriesUntilLookedAt() {
    reserve("a-1", BTC, "900", 5);

    var applied = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.ApplyFill(buy("t1", "b-1", "2", "100", "0"), replyTo));

    assertEquals(2, applied.events().size(), applied.events().toString());
    Portfolio.InvariantViolated violated = (Portfolio.InvariantViolated) applied.events().get(1);
    assertTrue(violated.violations().get(0).contains("negative available cash -100"), violated.violations().toString());
    Notifier.Alert alert = (Notifier.Alert) notifier.receiveMessage(java.time.Duration.ofSeconds(5));
    assertEquals("CRITICAL", alert.severity());
    assertEquals("portfolio_invariant", reserve("c-1", ETH, "1", 5).reasonCode());
    assertTrue(riskFigures(null, null).figures().brokenInvariants().contains("negative available cash"));
  }

  @Test
  void keepsABoundedHistoryOfRecentFillsNewestFirst() {
    for (int i = 1; i <= Portfolio.RECENT_FILLS + 5; i++) {
      apply(buy("t" + i, "a-" + i, "0.001", "100", "0"));
    }

    List<Fill> recent = portfolio.<Portfolio.RecentFills>runCommand(replyTo -> new Portfolio.GetRecentFills(3, replyTo)).reply().fills();

    assertEquals(List.of("t205", "t204", "t203"), recent.stream().map(Fill::tradeId).toList());
    assertEquals(Portfolio.RECENT_FILLS, portfolio.getState().recentFills().size());
  }

  @Test
  void refusesToStartWithoutPositiveStartingCapital() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Portfolio.create("USDT", BigDecimal.ZERO, TradingDay.UTC_MIDNIGHT, clock, 100, notifier.getRef()));
  }
}
