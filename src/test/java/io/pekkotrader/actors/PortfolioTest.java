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
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortfolioTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ActorTests.config());
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("sim:ETHUSDT");

  private final EventSourcedBehaviorTestKit<Portfolio.Command, Portfolio.Event, Portfolio.State> portfolio =
      EventSourcedBehaviorTestKit.create(
          testKit.system(), Portfolio.create("USDT", new BigDecimal("1000"), 100, testKit.<Notifier.Command>createTestProbe().getRef()));

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
    assertEquals(0, BigDecimal.ZERO.compareTo(ledger().available()));
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
    assertEquals(0, new BigDecimal("600").compareTo(ledger().reserved()));
  }

  @Test
  void commitsFillsFromTheReservationAndReleasesTheRestWhenTheOrderEnds() {
    reserve("a-1", BTC, "606", 5);
    apply(buy("t1", "a-1", "2", "100", "0.2"));
    apply(buy("t2", "a-1", "3", "100", "0.3"));

    assertEquals(0, new BigDecimal("499.5").compareTo(ledger().cash()));
    assertEquals(0, new BigDecimal("105.5").compareTo(ledger().reserved()));

    portfolio.<StatusReply<Done>>runCommand(replyTo -> new Portfolio.Release("a-1", replyTo));

    assertEquals(0, BigDecimal.ZERO.compareTo(ledger().reserved()), "an ended order leaves no reservation");
    assertEquals(0, new BigDecimal("499.5").compareTo(ledger().available()));
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
}
