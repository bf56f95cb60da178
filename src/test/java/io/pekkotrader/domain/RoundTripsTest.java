package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.BTCUSDT;
import static io.pekkotrader.domain.TestData.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundTripsTest {
  private static final SymbolId ETHUSDT = SymbolId.parse("binance:ETHUSDT");

  private static Fill fill(SymbolId symbol, String order, Side side, String quantity, String price, String fee, long atMs) {
    return new Fill(order + "-" + atMs, order, symbol, side, dec(quantity), dec(price), dec(fee), atMs);
  }

  /** Folds the fills; returns the trades they closed, in order. */
  private static List<RoundTrips.RoundTrip> fold(RoundTrips[] holder, Fill... fills) {
    List<RoundTrips.RoundTrip> trips = new ArrayList<>();
    RoundTrips trips0 = holder[0];
    for (Fill fill : fills) {
      RoundTrips.Step step = trips0.apply(fill, "USDT");
      trips0 = step.next();
      if (step.closed() != null) {
        trips.add(step.closed());
      }
    }
    holder[0] = trips0;
    return trips;
  }

  private static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(expected, actual.toPlainString());
  }

  @Test
  void aLongClosedByOneFillIsOneRoundTripWithPnlNetOfBothFees() {
    RoundTrips[] book = {RoundTrips.empty()};

    List<RoundTrips.RoundTrip> trips =
        fold(
            book,
            fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "0.5", "100.1", "0.05005", 1_000),
            fill(BTCUSDT, "BTCUSDT-4", Side.SELL, "0.5", "101.2", "0.0506", 61_000));

    assertEquals(1, trips.size());
    RoundTrips.RoundTrip trip = trips.get(0);
    assertEquals(1, trip.number());
    assertEquals("long", trip.side());
    assertEquals(1_000, trip.entryTimeMs());
    assertEquals(61_000, trip.exitTimeMs());
    assertEquals(60_000, trip.holdingMs());
    assertAmount("100.1", trip.entryPrice());
    assertAmount("101.2", trip.exitPrice());
    assertAmount("0.5", trip.quantity());
    assertAmount("0.10065", trip.fees());
    // (101.2 - 100.1) * 0.5 - 0.10065 = 0.44935; / 50.05 * 100 = 0.8978...
    assertAmount("0.44935", trip.pnl());
    assertAmount("0.90", trip.pnlPct());
    assertEquals("BTCUSDT-4", trip.exitClientOrderId());
    assertEquals("USDT", trip.quoteAsset());
    assertTrue(book[0].openSymbols().isEmpty());
  }

  @Test
  void partialEntryFillsAndAnExitSplitOverSeveralFillsAreVolumeWeighted() {
    RoundTrips[] book = {RoundTrips.empty()};

    List<RoundTrips.RoundTrip> trips =
        fold(
            book,
            fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "0.3", "100", "0.03", 1_000),
            fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "0.1", "104", "0.0104", 2_000),
            fill(BTCUSDT, "BTCUSDT-5", Side.SELL, "0.25", "110", "0.0275", 10_000),
            fill(BTCUSDT, "BTCUSDT-5", Side.SELL, "0.1", "108", "0.0108", 11_000));

    assertTrue(trips.isEmpty(), "0.05 still held: not a round trip yet");
    assertEquals(java.util.Set.of(BTCUSDT.id()), book[0].openSymbols());

    trips = fold(book, fill(BTCUSDT, "BTCUSDT-9", Side.SELL, "0.05", "90", "0.0045", 12_000));

    RoundTrips.RoundTrip trip = trips.get(0);
    // entry: 30 + 10.4 = 40.4 over 0.4 -> 101; exit: 27.5 + 10.8 + 4.5 = 42.8 over 0.4 -> 107
    assertAmount("101", trip.entryPrice());
    assertAmount("107", trip.exitPrice());
    assertAmount("0.4", trip.quantity());
    assertAmount("0.0832", trip.fees());
    assertAmount("2.3168", trip.pnl());
    assertAmount("5.73", trip.pnlPct());
    assertEquals(1_000, trip.entryTimeMs());
    assertEquals(12_000, trip.exitTimeMs());
    assertEquals("BTCUSDT-9", trip.exitClientOrderId(), "the fill that closed it names the exit order");
  }

  @Test
  void aPriceThatDoesNotTerminateIsGivenToSixteenDigitsWhileThePnlStaysExact() {
    RoundTrips[] book = {RoundTrips.empty()};

    RoundTrips.RoundTrip trip =
        fold(
                book,
                fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "1", "100", "0", 1),
                fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "2", "101", "0", 2),
                fill(BTCUSDT, "BTCUSDT-3", Side.SELL, "3", "100", "0", 3))
            .get(0);

    assertAmount("100.6666666666667", trip.entryPrice());
    assertAmount("-2", trip.pnl());
    assertAmount("-0.66", trip.pnlPct());
  }

  @Test
  void aShortWinsWhenItBuysBackLower() {
    RoundTrips[] book = {RoundTrips.empty()};

    RoundTrips.RoundTrip trip =
        fold(book, fill(BTCUSDT, "BTCUSDT-1", Side.SELL, "2", "50", "0.1", 1), fill(BTCUSDT, "BTCUSDT-2", Side.BUY, "2", "45", "0.1", 5))
            .get(0);

    assertEquals("short", trip.side());
    assertAmount("9.8", trip.pnl());
    assertAmount("9.80", trip.pnlPct());
  }

  @Test
  void aFillBeyondThePositionClosesItAndOpensTheOtherWayWithTheFeeSplitProRata() {
    RoundTrips[] book = {RoundTrips.empty()};

    List<RoundTrips.RoundTrip> trips =
        fold(
            book,
            fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "1", "100", "0.1", 1),
            fill(BTCUSDT, "BTCUSDT-2", Side.SELL, "4", "110", "0.4", 2));

    assertAmount("0.2", trips.get(0).fees());
    assertAmount("9.8", trips.get(0).pnl());
    trips = fold(book, fill(BTCUSDT, "BTCUSDT-3", Side.BUY, "3", "100", "0.3", 3));
    assertEquals("short", trips.get(0).side());
    assertEquals(2, trips.get(0).number());
    assertAmount("3", trips.get(0).quantity());
    assertAmount("0.6", trips.get(0).fees(), "0.3 of the flipping fill's fee, 0.3 of the cover's");
    assertAmount("29.4", trips.get(0).pnl());
  }

  private static void assertAmount(String expected, BigDecimal actual, String why) {
    assertEquals(expected, actual.toPlainString(), why);
  }

  @Test
  void symbolsAreFoldedApartAndNumberedInTheOrderTheyClose() {
    RoundTrips[] book = {RoundTrips.empty()};

    List<RoundTrips.RoundTrip> trips =
        fold(
            book,
            fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "1", "100", "0", 1),
            fill(ETHUSDT, "ETHUSDT-1", Side.BUY, "2", "10", "0", 2),
            fill(ETHUSDT, "ETHUSDT-2", Side.SELL, "2", "9", "0", 3),
            fill(BTCUSDT, "BTCUSDT-2", Side.SELL, "1", "105", "0", 4));

    assertEquals(List.of(ETHUSDT, BTCUSDT), trips.stream().map(RoundTrips.RoundTrip::symbol).toList());
    assertEquals(List.of(1L, 2L), trips.stream().map(RoundTrips.RoundTrip::number).toList());
    assertEquals(2, book[0].closed());
  }

  @Test
  void statsCountWinsLossesAndSumPnlPerSymbolAndInTheAccountAsset() {
    RoundTrips[] book = {RoundTrips.empty()};
    List<RoundTrips.RoundTrip> trips =
        fold(
            book,
            fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "1", "100", "0.1", 1),
            fill(BTCUSDT, "BTCUSDT-2", Side.SELL, "1", "105", "0.1", 2),
            fill(BTCUSDT, "BTCUSDT-3", Side.BUY, "1", "100", "0", 3),
            fill(BTCUSDT, "BTCUSDT-4", Side.SELL, "1", "100", "0", 4),
            fill(ETHUSDT, "ETHUSDT-1", Side.BUY, "2", "10", "0.01", 5),
            fill(ETHUSDT, "ETHUSDT-2", Side.SELL, "2", "9", "0.01", 6));
    RoundTrips.RoundTrip inBtc =
        new RoundTrips.RoundTrip(9, SymbolId.parse("binance:ETHBTC"), "long", "BTC", 1, 2, dec("1"), dec("0.05"), dec("0.06"), dec("0"), "x", null);

    TradeStats.Performance performance = TradeStats.Performance.empty("USDT");
    for (RoundTrips.RoundTrip trip : trips) {
      performance = performance.add(trip);
    }
    performance = performance.add(inBtc);

    TradeStats btc = performance.bySymbol().get(BTCUSDT.id());
    assertEquals(new TradeStats(2, 1, 0, dec("4.8")), btc, "a trade at break-even is neither a win nor a loss");
    assertAmount("0.5", btc.winRate());
    assertEquals(new TradeStats(1, 0, 1, dec("-2.02")), performance.bySymbol().get(ETHUSDT.id()));
    assertEquals(new TradeStats(1, 1, 0, dec("0.01")), performance.bySymbol().get("binance:ETHBTC"));
    assertEquals(4, performance.total().trades());
    assertEquals(2, performance.total().wins());
    assertEquals(1, performance.total().losses());
    assertAmount("2.78", performance.total().pnl(), "the BTC-quoted trade is not added to the USDT total");
    assertAmount("0.5", performance.total().winRate());
  }

  @Test
  void winRateIsZeroWithoutTradesAndRoundedToFourDecimals() {
    assertAmount("0", TradeStats.NONE.winRate());
    assertAmount("0.6667", new TradeStats(3, 2, 1, BigDecimal.ONE).winRate());
    assertAmount("1", new TradeStats(3, 3, 0, BigDecimal.ONE).winRate());
  }

  @Test
  void aPageHoldsTheNewestTradesBelowTheCursorAndSaysWhetherOlderOnesExist() {
    RoundTrips[] book = {RoundTrips.empty()};
    List<RoundTrips.RoundTrip> trips = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SymbolId symbol = i % 2 == 0 ? BTCUSDT : ETHUSDT;
      trips.addAll(fold(book, fill(symbol, "o" + i, Side.BUY, "1", "10", "0", i * 10), fill(symbol, "c" + i, Side.SELL, "1", "11", "0", i * 10 + 1)));
    }

    TradePage newest = new TradePage(Long.MAX_VALUE, 2, null);
    trips.forEach(newest::offer);
    TradePage.Page first = newest.page();
    assertEquals(List.of(5L, 4L), first.trades().stream().map(RoundTrips.RoundTrip::number).toList());
    assertEquals(4L, first.nextBefore());

    TradePage last = new TradePage(3, 2, null);
    trips.forEach(last::offer);
    assertEquals(List.of(2L, 1L), last.page().trades().stream().map(RoundTrips.RoundTrip::number).toList());
    assertNull(last.page().nextBefore());

    TradePage btcOnly = new TradePage(Long.MAX_VALUE, 2, BTCUSDT.id());
    trips.forEach(btcOnly::offer);
    assertEquals(List.of(5L, 3L), btcOnly.page().trades().stream().map(RoundTrips.RoundTrip::number).toList());
    assertEquals(3L, btcOnly.page().nextBefore());
    TradePage btcOlder = new TradePage(3, 2, BTCUSDT.id());
    trips.forEach(btcOlder::offer);
    assertEquals(List.of(1L), btcOlder.page().trades().stream().map(RoundTrips.RoundTrip::number).toList());
    assertNull(btcOlder.page().nextBefore());
  }

  @Test
  void drawdownsRunFromThePeakBeforeTheWindow() {
    List<EquityHistory.Point> points =
        EquityHistory.drawdowns(
            dec("10020"),
            List.of(new EquityHistory.Sample(1, dec("10012.5")), new EquityHistory.Sample(2, dec("10030")), new EquityHistory.Sample(3, dec("9027"))));

    assertAmount("10020", points.get(0).peak());
    assertAmount("7.5", points.get(0).drawdown());
    assertAmount("0.07", points.get(0).drawdownPct());
    assertAmount("0", points.get(1).drawdown());
    assertAmount("0.00", points.get(1).drawdownPct());
    assertAmount("1003", points.get(2).drawdown());
    assertAmount("10.00", points.get(2).drawdownPct());
    assertAmount("0", EquityHistory.drawdowns(null, List.of(new EquityHistory.Sample(1, dec("5")))).get(0).drawdown());
  }

  @Test
  void aTradesPnlTakenAtTheAssetsPrecisionAddsUpToWhatTheLedgerRealized() {
    AssetPrecision cents = new AssetPrecision(2, java.math.RoundingMode.HALF_EVEN);
    Fill buy = fill(BTCUSDT, "BTCUSDT-1", Side.BUY, "0.333", "100.017", "0.03", 1_000);
    Fill sell = fill(BTCUSDT, "BTCUSDT-4", Side.SELL, "0.333", "101.019", "0.03", 2_000);
    Ledger ledger = Ledger.start("USDT", dec("1000")).applyFill(buy, "USDT", cents).applyFill(sell, "USDT", cents);

    RoundTrips.RoundTrip exact = RoundTrips.empty().apply(buy, "USDT").next().apply(sell, "USDT").closed();
    RoundTrips.RoundTrip booked = RoundTrips.empty().apply(buy, "USDT", cents).next().apply(sell, "USDT", cents).closed();

    // 33.305661 is booked as 33.31 and 33.639327 as 33.64: 33.64 - 33.31 - 0.06
    assertAmount("0.27", booked.pnl());
    assertEquals(0, ledger.book("USDT").realizedPnl().compareTo(booked.pnl()), "the ledger realized " + ledger.book("USDT").realizedPnl());
    assertAmount("0.273666", exact.pnl());
  }
}
