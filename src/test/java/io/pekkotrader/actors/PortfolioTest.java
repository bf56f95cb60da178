package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.AssetPrecisions;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pekkotrader.domain.QuoteAssets;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
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
  void booksAFillsQuoteAmountAndFeeAtTheAssetsEightDecimalsAsTheVenueDoes() {
    reserve("a-1", BTC, "20", 5);

    // notional 0.00123457 × 12345.67 = 15.2415938119; the fee as computed at 10 bps of some notional
    apply(buy("t1", "a-1", "0.00123457", "12345.67", "1.00019999902860576"));

    BigDecimal cash = ledger().book("USDT").cash();
    assertEquals(0, new BigDecimal("983.75820619").compareTo(cash), "1000 − 15.24159381 − 1.00020000, got " + cash.toPlainString());
    assertTrue(cash.stripTrailingZeros().scale() <= 8, "cash carries at most 8 decimals: " + cash.toPlainString());
    assertEquals(0, new BigDecimal("1.0002").compareTo(ledger().book("USDT").feesPaid()));
    assertEquals(0, new BigDecimal("-1.0002").compareTo(ledger().book("USDT").realizedPnl()));
    assertEquals(
        0,
        new BigDecimal("3.75820619").compareTo(ledger().reservation("a-1").amount()),
        "20 − 16.24179381 exactly: the reservation gives up what the fill booked");
    assertEquals(0, new BigDecimal("1.0002").compareTo(portfolio.getState().recentFills().get(0).fee()), "the fill as booked");
    assertEquals(List.of(), ledger().violations());

    portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.Release("a-1", replyTo));
    assertEquals(0, new BigDecimal("983.75820619").compareTo(ledger().book("USDT").available()), "no budget leaked");
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
  void takesThePeakFromPricesAndFillsNotFromWhoeverAskedInBetween() {
    apply(buy("t1", "a-1", "2", "100", "0"));
    portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("200"))); // equity 1200, nobody asks
    portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("150"))); // 1100

    Portfolio.Summary first = portfolio.<Portfolio.Summary>runCommand(Portfolio.GetSummary::new).reply();
    Portfolio.State afterFirst = portfolio.getState();
    Portfolio.Summary second = portfolio.<Portfolio.Summary>runCommand(Portfolio.GetSummary::new).reply();
    Portfolio.State afterSecond = portfolio.getState();
    Portfolio.RiskFigures figures = riskFigures(null, null);

    assertEquals(0, dec("1200").compareTo(first.peakEquity()), "the high the prices led to, asked for or not");
    assertEquals(first, second, "asking again gives the same answer");
    assertEquals(afterFirst, afterSecond, "a summary changes nothing");
    assertEquals(0, dec("1200").compareTo(figures.figures().peakEquity()));
    assertEquals(figures, riskFigures(null, null), "the risk input is the same however often it is asked for");
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
    assertEquals(Notifier.Severity.CRITICAL, alert.severity());
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

  // ---- cash per quote asset ----------------------------------------------------------------

  private static final SymbolId ETHBTC = SymbolId.parse("sim:ETHBTC");

  /** A portfolio with 1000 USDT (the account asset) and 0.5 BTC; it shares the journal id of {@link #portfolio}. */
  private EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> usdtAndBtc() {
    EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> kit =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Portfolio.create(
                new QuoteAssets("USDT", Map.of("USDT", dec("1000"), "BTC", dec("0.5")), Map.of()),
                TradingDay.UTC_MIDNIGHT,
                clock,
                100,
                notifier.getRef()));
    kit.clear();
    return kit;
  }

  private static Portfolio.ReserveResult reserve(
      EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> kit, String clientOrderId, SymbolId symbol, String amount) {
    return kit.<Portfolio.ReserveResult>runCommand(replyTo -> new Portfolio.Reserve(clientOrderId, symbol, dec(amount), 5, replyTo)).reply();
  }

  private static Fill fill(String tradeId, String clientOrderId, SymbolId symbol, Side side, String qty, String price, String fee) {
    return new Fill(tradeId, clientOrderId, symbol, side, dec(qty), dec(price), dec(fee), 0);
  }

  @Test
  void reservesAndCommitsAnOrderInItsSymbolsQuoteAssetOnly() {
    var kit = usdtAndBtc();

    assertTrue(reserve(kit, "e-1", ETHBTC, "0.11").reserved());
    var applied =
        kit.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.ApplyFill(fill("t1", "e-1", ETHBTC, Side.BUY, "2", "0.05", "0.0001"), replyTo));
    Portfolio.ReserveResult tooMuch = reserve(kit, "e-2", SymbolId.parse("sim:SOLBTC"), "0.4");

    assertEquals(
        new Portfolio.FillApplied(fill("t1", "e-1", ETHBTC, Side.BUY, "2", "0.05", "0.0001"), "BTC", AssetPrecision.DEFAULT),
        applied.event());
    Ledger ledger = kit.getState().ledger();
    assertEquals("BTC", ledger.reservation("e-1").asset());
    assertEquals(0, dec("0.3999").compareTo(ledger.book("BTC").cash()));
    assertEquals(0, dec("0.0099").compareTo(ledger.book("BTC").reserved()));
    assertEquals(0, dec("1000").compareTo(ledger.book("USDT").available()), "no USDT moved");
    assertFalse(tooMuch.reserved(), "0.3999 BTC cannot hold 0.4, however much USDT there is");
    assertEquals("insufficient_funds", tooMuch.reasonCode());
    assertTrue(tooMuch.message().contains("BTC"), tooMuch.message());
  }

  @Test
  void summarisesEachAssetAndLeavesOneWithoutARateOutOfTheTotals() {
    var kit = usdtAndBtc();
    reserve(kit, "e-1", ETHBTC, "0.11");
    kit.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.ApplyFill(fill("t1", "e-1", ETHBTC, Side.BUY, "2", "0.05", "0.0001"), replyTo));
    kit.runCommand(new Portfolio.MarkPrice(ETHBTC, dec("0.06")));

    Portfolio.Summary before = kit.<Portfolio.Summary>runCommand(Portfolio.GetSummary::new).reply();

    Portfolio.AssetSummary btc = before.assets().get("BTC");
    assertFalse(btc.converted());
    assertEquals(null, btc.rate());
    assertEquals(0, dec("0.5199").compareTo(btc.equity()), "0.3999 + 2 × 0.06, in BTC");
    assertEquals(0, dec("0.0099").compareTo(btc.reserved()));
    assertTrue(before.assets().get("USDT").converted());
    assertEquals(0, dec("1000").compareTo(before.equity()), "USDT only: BTC is not valued at an assumed rate");
    assertEquals(0, dec("1000").compareTo(before.cash()));
    assertEquals(0, dec("2").compareTo(before.positions().get(ETHBTC.id())));

    kit.runCommand(new Portfolio.MarkPrice(SymbolId.parse("sim:BTCUSDT"), dec("20000")));
    Portfolio.Summary after = kit.<Portfolio.Summary>runCommand(Portfolio.GetSummary::new).reply();

    assertTrue(after.assets().get("BTC").converted());
    assertEquals(0, dec("20000").compareTo(after.assets().get("BTC").rate()));
    assertEquals(0, dec("11398").compareTo(after.equity()), "1000 + 0.5199 × 20000");
    assertEquals(0, dec("8998").compareTo(after.cash()), "1000 + 0.3999 × 20000");
    assertEquals(0, dec("198").compareTo(after.reserved()));
    assertEquals(0, dec("8800").compareTo(after.available()));
    assertEquals(0, dec("2").compareTo(after.feesPaid()));
    assertEquals(0, dec("-2").compareTo(after.realizedPnl()));
    assertEquals(0, dec("400").compareTo(after.unrealizedPnl()), "2 × (0.06 − 0.05) × 20000");
    assertEquals(0, dec("0.0362").compareTo(after.roi().setScale(4, java.math.RoundingMode.HALF_EVEN)), "398 / 11000");
    assertEquals("USDT", after.quoteAsset());
  }

  @Test
  void startsNoTradingDayAndRaisesNoPeakUntilEveryAssetHasARate() {
    var kit = usdtAndBtc();
    reserve(kit, "e-1", ETHBTC, "0.2");

    var incomplete = kit.<Portfolio.RiskFigures>runCommand(replyTo -> new Portfolio.GetRiskFigures(ETHBTC, null, replyTo));

    assertEquals(List.of(), incomplete.events(), "no day start on an equity that leaves BTC out");
    assertEquals(List.of("BTC"), incomplete.reply().figures().unconvertedAssets());
    assertEquals("BTC", incomplete.reply().symbolAsset());
    assertEquals(null, incomplete.reply().symbolRate());

    kit.runCommand(new Portfolio.MarkPrice(SymbolId.parse("sim:BTCUSDT"), dec("20000")));
    var complete = kit.<Portfolio.RiskFigures>runCommand(replyTo -> new Portfolio.GetRiskFigures(ETHBTC, "e-2", replyTo));

    Portfolio.TradingDayStarted started = (Portfolio.TradingDayStarted) complete.events().get(0);
    assertEquals(DAY_ONE, started.dayStartMs());
    assertEquals(0, dec("11000").compareTo(started.equity()), "1000 USDT + 0.5 BTC at 20000");
    assertTrue(complete.reply().figures().complete());
    assertEquals(0, dec("11000").compareTo(complete.reply().figures().startingCapital()));
    assertEquals(0, dec("20000").compareTo(complete.reply().symbolRate()));
    assertEquals(0, dec("4000").compareTo(complete.reply().grossExposure()), "e-1's 0.2 BTC at 20000");
  }

  @Test
  void recoversAJournalWrittenBeforeCashPerQuoteAsset() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    ObjectMapper cbor =
        JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", java.util.Optional.of(new CBORFactory()));
    ObjectNode symbolEth = cbor.createObjectNode().put("venue", "sim").put("symbol", "ETHUSDT");
    // the shapes the code before cash per quote asset wrote: no asset anywhere, one cash balance
    ObjectNode ledger = cbor.createObjectNode().put("quoteAsset", "USDT").put("startingCash", dec("1000")).put("cash", dec("799.8"));
    ledger.putObject("reservations").putObject("a-1")
        .put("clientOrderId", "a-1").put("amount", dec("405.8")).set("symbol", cbor.createObjectNode().put("venue", "sim").put("symbol", "BTCUSDT"));
    ledger.putObject("positions").putObject(BTC.id()).put("quantity", dec("2")).put("costBasis", dec("200"));
    ledger.put("realizedPnl", dec("-0.2")).put("feesPaid", dec("0.2")).put("fills", 1).putArray("recentTradeIds").add("t1");
    ObjectNode state = cbor.createObjectNode();
    state.set("ledger", ledger);
    state.put("dayStartMs", 0).put("dayStartEquity", dec("1000")).put("peakEquity", dec("1000")).putNull("brokenInvariants");
    state.putArray("recentFills");
    ObjectNode reserved = cbor.createObjectNode();
    reserved.putObject("reservation").put("clientOrderId", "a-2").put("amount", dec("100")).set("symbol", symbolEth);
    ObjectNode applied = cbor.createObjectNode();
    applied.putObject("fill").put("tradeId", "t2").put("clientOrderId", "a-2").put("side", "BUY").put("quantity", dec("1"))
        .put("price", dec("50")).put("fee", dec("0.05")).put("timestampMs", 0).set("symbol", symbolEth);

    Portfolio.State oldState = (Portfolio.State) decode(serialization, cbor, state, Portfolio.State.class);
    Portfolio.FundsReserved oldReserved = (Portfolio.FundsReserved) decode(serialization, cbor, reserved, Portfolio.FundsReserved.class);
    Portfolio.FillApplied oldFill = (Portfolio.FillApplied) decode(serialization, cbor, applied, Portfolio.FillApplied.class);
    portfolio.initialize(oldState, oldReserved, oldFill);
    portfolio.restart();

    Ledger recovered = ledger();
    assertEquals("USDT", recovered.accountAsset());
    assertEquals(List.of("USDT"), List.copyOf(recovered.books().keySet()));
    assertEquals("USDT", recovered.reservation("a-1").asset(), "a snapshot's reservation is in the account asset");
    assertEquals("USDT", recovered.reservation("a-2").asset(), "so is an event's without an asset");
    assertEquals(0, dec("749.75").compareTo(recovered.book("USDT").cash()), "799.8 − 50 − 0.05");
    assertEquals(0, dec("49.95").compareTo(recovered.reservation("a-2").amount()));
    assertEquals(0, dec("1").compareTo(recovered.position(SymbolId.parse("sim:ETHUSDT")).quantity()));
    assertEquals(2, recovered.fills());
    assertEquals(List.of(), recovered.violations());
  }

  @Test
  void replaysAFillOfAJournalWrittenBeforeAssetPrecisionExactlyAsItWasBooked() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    ObjectMapper cbor =
        JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", java.util.Optional.of(new CBORFactory()));
    // the shape the code before asset precision wrote: no precision, the fee as reported
    ObjectNode applied = cbor.createObjectNode().put("asset", "USDT");
    applied.putObject("fill").put("tradeId", "t1").put("clientOrderId", "a-1").put("side", "BUY").put("quantity", dec("0.00123457"))
        .put("price", dec("12345.67")).put("fee", dec("1.00019999902860576")).put("timestampMs", 0)
        .set("symbol", cbor.createObjectNode().put("venue", "sim").put("symbol", "BTCUSDT"));
    Portfolio.FillApplied oldFill = (Portfolio.FillApplied) decode(serialization, cbor, applied, Portfolio.FillApplied.class);

    portfolio.initialize(oldFill);
    portfolio.restart();

    assertEquals(null, oldFill.precision());
    assertEquals(dec("983.75820618907139424"), ledger().book("USDT").cash(), "as booked then: 1000 − 15.2415938119 − 1.00019999902860576");
    assertEquals(List.of(), ledger().violations());
    apply(new Fill("t2", "x-1", BTC, Side.SELL, dec("0.00123457"), dec("12345.67"), dec("0.0152415938119"), 0));
    assertEquals(
        0, dec("998.98455840907139424").compareTo(ledger().book("USDT").cash()), "a new fill is booked at 8 decimals: + 15.24159381 − 0.01524159");
  }

  @Test
  void booksAnAssetAtItsConfiguredPrecisionAndReplaysItSoWhateverTheConfigurationSaysLater() {
    AssetPrecision cents = new AssetPrecision(2, java.math.RoundingMode.HALF_EVEN);
    EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> inCents =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Portfolio.create(
                QuoteAssets.single("USDT", dec("1000")),
                new AssetPrecisions(AssetPrecision.DEFAULT, Map.of("USDT", cents)),
                TradingDay.UTC_MIDNIGHT,
                clock,
                100,
                java.time.Duration.ofMinutes(1),
                notifier.getRef()));
    inCents.clear();

    var reserved =
        inCents.<Portfolio.ReserveResult>runCommand(replyTo -> new Portfolio.Reserve("a-1", BTC, dec("20.001"), 5, replyTo));
    var filled =
        inCents.<StatusReply<Done>>runCommand(
            replyTo -> new Portfolio.ApplyFill(buy("t1", "a-1", "0.00123457", "12345.67", "0.0152415938119"), replyTo));

    assertTrue(reserved.reply().reserved());
    assertEquals(0, dec("20.01").compareTo(((Portfolio.FundsReserved) reserved.event()).reservation().amount()), "held rounded up");
    assertEquals(cents, ((Portfolio.FillApplied) filled.event()).precision());
    assertEquals(0, dec("0.02").compareTo(((Portfolio.FillApplied) filled.event()).fill().fee()), "the fee as booked");
    Ledger booked = inCents.getState().ledger();
    assertEquals(0, dec("984.74").compareTo(booked.book("USDT").cash()), "1000 − 15.24 − 0.02");
    assertEquals(0, dec("4.75").compareTo(booked.reservation("a-1").amount()), "20.01 − 15.26");

    // the same journal recovered by a portfolio configured with 8 decimals books what was booked
    portfolio.initialize(reserved.event(), filled.event());
    portfolio.restart();
    assertEquals(booked, ledger());
  }

  @Test
  void reservationsAndReleasesRecordWhenTheyHappenedByThePortfolioClock() {
    clock.set(DAY_ONE + 5_000);
    var reserved = portfolio.<Portfolio.ReserveResult>runCommand(replyTo -> new Portfolio.Reserve("a-1", BTC, dec("100"), 5, replyTo));
    reserve("b-1", ETH, "100", 5);
    clock.set(DAY_ONE + 6_000);
    var released = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.Release("a-1", replyTo));
    clock.set(DAY_ONE + 7_000);
    var orphaned = portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.SyncSymbol(ETH, null, replyTo));

    assertEquals(DAY_ONE + 5_000, ((Portfolio.FundsReserved) reserved.event()).atMs());
    assertEquals(DAY_ONE + 6_000, ((Portfolio.ReservationReleased) released.event()).atMs());
    Portfolio.ReservationReleased orphan = (Portfolio.ReservationReleased) orphaned.event();
    assertEquals("b-1", orphan.clientOrderId());
    assertEquals(DAY_ONE + 7_000, orphan.atMs());
  }

  @Test
  void recoversReservationsAndReleasesOfAJournalWrittenBeforeEventsCarriedTheirTime() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    ObjectMapper cbor =
        JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", java.util.Optional.of(new CBORFactory()));
    // the shapes the code before events carried their time wrote: no atMs
    ObjectNode reservedBtc = cbor.createObjectNode();
    reservedBtc.putObject("reservation").put("clientOrderId", "a-1").put("amount", dec("100")).put("asset", "USDT")
        .set("symbol", cbor.createObjectNode().put("venue", "sim").put("symbol", "BTCUSDT"));
    ObjectNode reservedEth = cbor.createObjectNode();
    reservedEth.putObject("reservation").put("clientOrderId", "b-1").put("amount", dec("50")).put("asset", "USDT")
        .set("symbol", cbor.createObjectNode().put("venue", "sim").put("symbol", "ETHUSDT"));
    ObjectNode released = cbor.createObjectNode().put("clientOrderId", "a-1").put("why", "order ended");

    Portfolio.FundsReserved oldBtc = (Portfolio.FundsReserved) decode(serialization, cbor, reservedBtc, Portfolio.FundsReserved.class);
    Portfolio.FundsReserved oldEth = (Portfolio.FundsReserved) decode(serialization, cbor, reservedEth, Portfolio.FundsReserved.class);
    Portfolio.ReservationReleased oldRelease =
        (Portfolio.ReservationReleased) decode(serialization, cbor, released, Portfolio.ReservationReleased.class);
    portfolio.initialize(oldBtc, oldEth, oldRelease);
    portfolio.restart();

    assertEquals(0, oldBtc.atMs(), "0: the time is unknown");
    assertEquals(0, oldRelease.atMs(), "0: the time is unknown");
    assertEquals(List.of("b-1"), List.copyOf(ledger().reservations().keySet()));
    assertEquals(0, dec("50").compareTo(ledger().book("USDT").reserved()));
    assertEquals(0, dec("950").compareTo(ledger().book("USDT").available()));
    assertEquals(List.of(), ledger().violations());
  }

  /** Decodes a tree written in an older shape as the engine's serializer would read it from the journal. */
  private static Object decode(Serialization serialization, ObjectMapper cbor, ObjectNode tree, Class<?> type) throws Exception {
    int serializerId = serialization.serializerFor(type).identifier();
    return serialization.deserialize(cbor.writeValueAsBytes(tree), serializerId, type.getName()).get();
  }

  @Test
  void cashConfiguredAfterASnapshotIsOpenedOnRecovery() throws Exception {
    EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> twoAssets =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Portfolio.create(
                new io.pekkotrader.domain.QuoteAssets("USDT", Map.of("USDT", new BigDecimal("1000"), "BTC", new BigDecimal("0.5")), Map.of()),
                TradingDay.UTC_MIDNIGHT,
                clock,
                100,
                notifier.getRef()));
    twoAssets.clear();
    // a snapshot from when only USDT was configured, and one event after it
    Portfolio.State before = Portfolio.State.start(Ledger.start("USDT", new BigDecimal("1000")));
    twoAssets.initialize(before, new Portfolio.ReservationReleased("gone", "test", 0));

    twoAssets.restart();
    awaitBook(twoAssets, "BTC");

    assertEquals(0, new BigDecimal("0.5").compareTo(twoAssets.getState().ledger().book("BTC").cash()));
    assertEquals(0, new BigDecimal("1000").compareTo(twoAssets.getState().ledger().book("USDT").cash()), "USDT as it was");
    twoAssets.restart();
    assertEquals(0, new BigDecimal("0.5").compareTo(twoAssets.getState().ledger().book("BTC").startingCash()), "persisted: recovered again");
    assertEquals(List.of(), twoAssets.getState().ledger().violations());
  }

  @Test
  void persistsEquityAtMostOncePerSamplingIntervalAndRecoversWithTheSamplesInTheJournal() {
    apply(buy("t1", "a-1", "2", "100", "0"));
    long start = clock.millis();

    var first = portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("110")));
    clock.set(start + 59_999);
    var tooSoon = portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("120")));
    clock.set(start + 60_000);
    var next = portfolio.runCommand(new Portfolio.MarkPrice(BTC, dec("90")));

    assertEquals(List.of(new Portfolio.EquitySampled(start, dec("1020"))), first.events(), "the first price after a start is sampled");
    assertEquals(List.of(), tooSoon.events());
    assertEquals(List.of(new Portfolio.EquitySampled(start + 60_000, dec("980"))), next.events());
    Portfolio.State before = portfolio.getState();
    portfolio.restart();
    assertEquals(before, portfolio.getState(), "a sample leaves the state as it is");
  }

  private static void awaitBook(EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> kit, String asset)
      throws InterruptedException {
    for (int i = 0; i < 100 && kit.getState().ledger().book(asset) == null; i++) {
      Thread.sleep(50);
    }
  }
}
