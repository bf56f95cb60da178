package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.BTCUSDT;
import static io.pekkotrader.domain.TestData.buy;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.sell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private static final String ORDER_A = "binance-BTCUSDT-2";
  private static final String ORDER_B = "binance-BTCUSDT-5";

  private static Ledger thousandUsdt() {
    return Ledger.start("USDT", dec("1000"));
  }

  private static CashBook usdt(Ledger ledger) {
    return ledger.book("USDT");
  }

  private static void assertAmount(String expected, BigDecimal actual) {
    assertAmount(expected, actual, "");
  }

  private static void assertAmount(String expected, BigDecimal actual, String what) {
    assertEquals(0, dec(expected).compareTo(actual), what + " expected " + expected + ", got " + actual.toPlainString());
  }

  @Test
  void startsWithAllCashAvailable() {
    Ledger ledger = thousandUsdt();

    assertAmount("1000", usdt(ledger).cash());
    assertAmount("1000", usdt(ledger).available());
    assertAmount("0", usdt(ledger).reserved());
    assertTrue(ledger.position(BTCUSDT).isFlat());
  }

  @Test
  void reservingHoldsFundsWithoutSpendingCash() {
    Ledger ledger = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("500")));

    assertAmount("1000", usdt(ledger).cash());
    assertAmount("500", usdt(ledger).reserved());
    assertAmount("500", usdt(ledger).available());
  }

  @Test
  void partialBuyFillsCommitTheirCostFromTheReservation() {
    Ledger reserved = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("500")));

    // 0.01 × 20000 + 0.2 fee = 200.2; 0.01 × 20100 + 0.201 fee = 201.201
    Ledger afterFirst = reserved.applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));
    Ledger afterSecond = afterFirst.applyFill(buy("t2", ORDER_A, "0.01", "20100", "0.201"));

    assertAmount("799.8", usdt(afterFirst).cash());
    assertAmount("299.8", usdt(afterFirst).reserved());
    assertAmount("500", usdt(afterFirst).available());
    assertAmount("598.599", usdt(afterSecond).cash());
    assertAmount("98.599", usdt(afterSecond).reserved());
    assertAmount("500", usdt(afterSecond).available());
    assertAmount("0.02", afterSecond.position(BTCUSDT).quantity());
    assertAmount("20050", afterSecond.position(BTCUSDT).averagePrice());
    assertAmount("0.401", usdt(afterSecond).feesPaid());
    assertEquals(2, afterSecond.fills());
  }

  @Test
  void releasingAfterTheOrderEndsLeavesNoReservation() {
    Ledger filled =
        thousandUsdt()
            .reserve(new Reservation(ORDER_A, BTCUSDT, dec("500")))
            .applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));

    Ledger released = filled.release(ORDER_A);

    assertAmount("0", usdt(released).reserved());
    assertEquals(Map.of(), released.reservations());
    assertAmount("799.8", usdt(released).available());
    assertSame(released, released.release(ORDER_A));
  }

  @Test
  void aRoundTripRealizesProfitNetOfBothFees() {
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.02", "20000", "0.4"));

    Ledger sold = bought.applyFill(sell("t2", ORDER_B, "0.02", "21000", "0.42"));

    // (21000 − 20000) × 0.02 − 0.4 − 0.42 = 19.18
    assertAmount("-0.4", usdt(bought).realizedPnl());
    assertAmount("599.6", usdt(bought).cash());
    assertAmount("19.18", usdt(sold).realizedPnl());
    assertAmount("1019.18", usdt(sold).cash());
    assertAmount("0.82", usdt(sold).feesPaid());
    assertTrue(sold.position(BTCUSDT).isFlat());
    assertEquals(Map.of(), sold.positions());
    assertAmount("1019.18", sold.equity(Map.of()));
  }

  @Test
  void valuesEquityAsCashPlusQuantityTimesLastPrice() {
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.02", "20000", "0.4"));

    BigDecimal atLast = bought.equity(Map.of(BTCUSDT.id(), dec("20500")));
    BigDecimal atAverage = bought.equity(Map.of());

    // 599.6 + 0.02 × 20500 = 1009.6; 599.6 + 0.02 × 20000 = 999.6
    assertAmount("1009.6", atLast);
    assertAmount("999.6", atAverage);
    assertAmount("10", usdt(bought).unrealizedPnl(Map.of(BTCUSDT.id(), dec("20500"))));
  }

  @Test
  void appliesAFillWithADuplicateTradeIdOnce() {
    Ledger once = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));

    Ledger twice = once.applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));

    assertSame(once, twice);
    assertEquals(1, twice.fills());
    assertAmount("799.8", usdt(twice).cash());
    assertTrue(twice.hasApplied("t1"));
    assertEquals(List.of(), twice.violations());
  }

  @Test
  void refusesASellBeyondThePosition() {
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.02", "20000", "0"));

    String tooMuch = bought.whyNotApplicable(sell("t2", ORDER_B, "0.03", "20000", "0"), "USDT");
    String nothingHeld = thousandUsdt().whyNotApplicable(sell("t2", ORDER_B, "0.01", "20000", "0"), "USDT");
    String exactlyAll = bought.whyNotApplicable(sell("t2", ORDER_B, "0.02", "20000", "0"), "USDT");
    String aBuy = thousandUsdt().whyNotApplicable(buy("t3", ORDER_A, "1", "20000", "0"), "USDT");

    assertNotNull(tooMuch);
    assertTrue(tooMuch.contains("0.03") && tooMuch.contains("0.02"), tooMuch);
    assertNotNull(nothingHeld);
    assertNull(exactlyAll);
    assertNull(aBuy);
  }

  @Test
  void canReserveExactlyWhatIsAvailableButNotOneUnitMore() {
    Ledger ledger = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("600")));

    assertTrue(ledger.canReserve(ORDER_B, "USDT", dec("400")));
    assertTrue(ledger.canReserve(ORDER_B, "USDT", dec("400.00")));
    assertFalse(ledger.canReserve(ORDER_B, "USDT", dec("400.00000001")));
    assertFalse(ledger.canReserve(ORDER_B, "USDT", dec("401")));
    assertFalse(ledger.canReserve(ORDER_B, "USDT", BigDecimal.ZERO));
    assertTrue(ledger.canReserve(ORDER_A, "USDT", dec("9999")), "an existing reservation is kept, not re-checked");
  }

  @Test
  void reservingTwiceUnderOneIdKeepsTheFirstReservation() {
    Ledger ledger = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("600")));

    Ledger again = ledger.reserve(new Reservation(ORDER_A, BTCUSDT, dec("100")));

    assertAmount("600", usdt(again).reserved());
  }

  @Test
  void rejectsAStartingCashThatIsNotPositive() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> Ledger.start("USDT", BigDecimal.ZERO));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Ledger.start("USDT", dec("-1")));

    assertTrue(zero.getMessage().contains("starting cash"), zero.getMessage());
    assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
  }

  // ---- cash per quote asset ----------------------------------------------------------------

  private static final SymbolId ETHBTC = SymbolId.parse("binance:ETHBTC");
  private static final String ETH_ORDER = "binance-ETHBTC-3";

  private static Ledger usdtAndBtc(String usdt, String btc) {
    return Ledger.start("USDT", Map.of("USDT", dec(usdt), "BTC", dec(btc)));
  }

  private static Fill ethBtc(String tradeId, String clientOrderId, Side side, String qty, String price, String fee) {
    return new Fill(tradeId, clientOrderId, ETHBTC, side, dec(qty), dec(price), dec(fee), 0);
  }

  @Test
  void reservingFillingAndReleasingInBtcLeaveTheUsdtCashAlone() {
    Ledger start = usdtAndBtc("1000", "1");

    Ledger reserved = start.reserve(new Reservation(ETH_ORDER, ETHBTC, dec("0.5"), "BTC"));
    // 2 × 0.05 + 0.0001 fee = 0.1001 BTC
    Ledger filled = reserved.applyFill(ethBtc("e1", ETH_ORDER, Side.BUY, "2", "0.05", "0.0001"), "BTC");
    Ledger released = filled.release(ETH_ORDER);

    assertAmount("0.5", reserved.book("BTC").reserved());
    assertAmount("0.8999", filled.book("BTC").cash());
    assertAmount("0.3999", filled.book("BTC").reserved());
    assertAmount("-0.0001", filled.book("BTC").realizedPnl());
    assertAmount("0.0001", filled.book("BTC").feesPaid());
    assertAmount("0", released.book("BTC").reserved());
    assertAmount("0.8999", released.book("BTC").available());
    assertEquals("BTC", released.positionAsset(ETHBTC));
    assertAmount("2", released.position(ETHBTC).quantity());
    for (Ledger ledger : List.of(reserved, filled, released)) {
      assertEquals(start.book("USDT"), ledger.book("USDT"), "the USDT book is untouched");
      assertEquals(List.of(), ledger.violations());
    }
  }

  @Test
  void cashInOneAssetDoesNotFundAnOrderInAnother() {
    Ledger ledger = usdtAndBtc("1000", "0.1");

    assertTrue(ledger.canReserve(ETH_ORDER, "BTC", dec("0.1")));
    assertFalse(ledger.canReserve(ETH_ORDER, "BTC", dec("0.1000001")), "1000 USDT do not make up for it");
    assertFalse(ledger.canReserve(ETH_ORDER, "EUR", dec("1")), "no cash is kept in EUR");
    assertNotNull(ledger.whyNotApplicable(ethBtc("e1", ETH_ORDER, Side.BUY, "1", "0.05", "0"), "EUR"));
  }

  @Test
  void checksTheInvariantsOfEachAssetOnItsOwn() {
    // 1 USDT too much and 1 BTC too little: a sum over assets would reconcile, each asset does not
    CashBook usdt = new CashBook("USDT", dec("1000"), dec("1001"), Map.of(), Map.of(), BigDecimal.ZERO, BigDecimal.ZERO);
    CashBook btc = new CashBook("BTC", dec("2"), dec("1"), Map.of(), Map.of(), BigDecimal.ZERO, BigDecimal.ZERO);
    Ledger ledger = new Ledger("USDT", Map.of("USDT", usdt, "BTC", btc), 0, List.of());

    List<String> violations = ledger.violations();

    assertEquals(2, violations.size(), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.startsWith("USDT: cash + cost basis 1001")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.startsWith("BTC: cash + cost basis 1")), violations.toString());
  }

  @Test
  void aBuyInBtcBeyondItsCashBreaksTheBtcInvariantsOnly() {
    Ledger ledger = usdtAndBtc("1000", "0.01").applyFill(ethBtc("e1", ETH_ORDER, Side.BUY, "1", "0.05", "0"), "BTC");

    assertEquals(List.of("BTC: negative cash -0.04", "BTC: negative available cash -0.04"), ledger.violations());
    assertAmount("1000", usdt(ledger).available());
  }

  @Test
  void keepsAPositionInTheAssetItWasOpenedIn() {
    Ledger ledger = usdtAndBtc("1000", "1").applyFill(ethBtc("e1", ETH_ORDER, Side.BUY, "1", "0.05", "0"), "BTC");

    String why = ledger.whyNotApplicable(ethBtc("e2", "x", Side.SELL, "1", "0.05", "0"), "USDT");

    assertNotNull(why);
    assertTrue(why.contains("held in BTC"), why);
    assertEquals("BTC", ledger.assetFor(ETHBTC, "x", "USDT"), "the position's asset wins over the configured one");
    assertNull(ledger.whyNotApplicable(ethBtc("e2", "x", Side.SELL, "1", "0.05", "0"), "BTC"));
  }

  @Test
  void convertsEachAssetAtTheLastPriceOfItsPairWithTheAccountAsset() {
    Ledger ledger =
        usdtAndBtc("1000", "1")
            .applyFill(ethBtc("e1", ETH_ORDER, Side.BUY, "2", "0.05", "0.0001"), "BTC")
            .applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));
    Map<String, BigDecimal> last =
        Map.of(ETHBTC.id(), dec("0.06"), BTCUSDT.id(), dec("30000"), "kraken:BTCUSDT", dec("1"));

    Valuation valuation = ledger.valuation(last);

    assertAmount("30000", ledger.rate("BTC", last));
    assertAmount("1", ledger.rate("USDT", last));
    // BTC: cash 0.8999 + 2 × 0.06 = 1.0199 BTC; USDT: 799.8 + 0.01 × 30000 = 1099.8
    assertAmount("1.0199", valuation.pools().get("BTC").equity());
    assertAmount("31696.8", valuation.equity());
    assertAmount("31000", valuation.startingCapital());
    assertAmount("27796.8", valuation.cash());
    assertAmount("3.2", valuation.feesPaid());
    assertEquals(0, valuation.equity().subtract(valuation.startingCapital())
        .compareTo(valuation.realizedPnl().add(valuation.unrealizedPnl())), "equity − capital = realized + unrealized");
    assertTrue(valuation.complete());
  }

  @Test
  void leavesAnAssetWithoutAKnownRateOutOfTheTotalsAndSaysSo() {
    Ledger ledger = usdtAndBtc("1000", "1").applyFill(ethBtc("e1", ETH_ORDER, Side.BUY, "2", "0.05", "0"), "BTC");

    Valuation valuation = ledger.valuation(Map.of(ETHBTC.id(), dec("0.06")));

    assertNull(ledger.rate("BTC", Map.of(ETHBTC.id(), dec("0.06"))), "ETHBTC is no rate of BTC to USDT");
    assertFalse(valuation.complete());
    assertEquals(List.of("BTC"), valuation.unconverted());
    assertFalse(valuation.pools().get("BTC").converted());
    assertAmount("1.02", valuation.pools().get("BTC").equity());
    assertAmount("1000", valuation.equity());
    assertAmount("1000", valuation.startingCapital());
  }

  private static final AssetPrecision CENTS = new AssetPrecision(2, java.math.RoundingMode.HALF_EVEN);

  @Test
  void booksQuoteAmountsAndFeesAtTheAssetsPrecisionAndReleasesExactlyTheRestOfTheReservation() {
    Ledger reserved = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("100")));

    // 0.333 × 100.005 = 33.301665 → 33.30; fee 0.033301665 → 0.03
    Ledger bought = reserved.applyFill(buy("t1", ORDER_A, "0.333", "100.005", "0.033301665"), "USDT", CENTS);

    assertAmount("966.67", usdt(bought).cash());
    assertAmount("66.67", usdt(bought).reserved());
    assertAmount("0.03", usdt(bought).feesPaid());
    assertAmount("33.30", bought.position(BTCUSDT).costBasis());
    Ledger released = bought.release(ORDER_A);
    assertAmount("966.67", usdt(released).available());
    assertEquals(List.of(), released.violations());
  }

  @Test
  void roundsAsTheAssetsRoundingModeSays() {
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.333", "100.005", "0.033301665"), "USDT", CENTS);
    // 0.111 × 101.237 = 11.237307: 11.24 half to even, 11.23 down; the cost taken off is 33.30 / 3 = 11.10
    Fill sell = sell("t2", ORDER_B, "0.111", "101.237", "0.011237307");

    Ledger halfEven = bought.applyFill(sell, "USDT", CENTS);
    Ledger down = bought.applyFill(sell, "USDT", new AssetPrecision(2, java.math.RoundingMode.DOWN));

    assertAmount("977.90", usdt(halfEven).cash());
    assertAmount("0.10", usdt(halfEven).realizedPnl());
    assertAmount("977.89", usdt(down).cash());
    assertAmount("0.09", usdt(down).realizedPnl());
    assertEquals(List.of(), halfEven.violations());
    assertEquals(List.of(), down.violations());
  }

  @Test
  void takesTheClosedShareOfTheCostOffAtTheAssetsPrecisionSoRealizedPnlStaysAtIt() {
    // 3 × 3.3333 = 9.9999 → a cost of 10.00
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "3", "3.3333", "0"), "USDT", CENTS);

    Ledger third = bought.applyFill(sell("t2", ORDER_B, "1", "4", "0"), "USDT", CENTS);
    Ledger flat = third.applyFill(sell("t3", ORDER_B, "2", "4", "0"), "USDT", CENTS);

    assertAmount("6.67", third.position(BTCUSDT).costBasis(), "10.00 − 10.00 / 3 rounded to 3.33");
    assertAmount("0.67", usdt(third).realizedPnl());
    assertAmount("2.00", usdt(flat).realizedPnl());
    assertAmount("1002.00", usdt(flat).cash());
    assertEquals(List.of(), third.violations());
    assertEquals(List.of(), flat.violations());
  }

  @Test
  void booksAFillWithoutPrecisionExactlyAsFillsOfOldJournalsWereBooked() {
    Ledger exact = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.00123457", "12345.67", "1.00019999902860576"), "USDT", null);

    assertEquals(dec("983.75820618907139424"), usdt(exact).cash(), "1000 − 15.2415938119 − 1.00019999902860576");
    assertEquals(List.of(), exact.violations());
  }

  @Test
  void findsTheQuoteAssetOfASymbolAsTheLongestCashAssetItEndsWith() {
    QuoteAssets assets =
        new QuoteAssets(
            "USDT", Map.of("USDT", dec("1"), "USD", dec("0"), "BTC", dec("0")), Map.of("kraken:XBTZEUR", "USD"));

    assertEquals("USDT", assets.of(BTCUSDT));
    assertEquals("BTC", assets.of(ETHBTC));
    assertEquals("USD", assets.of(SymbolId.parse("kraken:BTCUSD")));
    assertEquals("USD", assets.of(SymbolId.parse("kraken:XBTZEUR")), "set per symbol");
    assertNull(assets.of(SymbolId.parse("binance:BTCEUR")));
    assertNull(QuoteAssets.suffixAsset("BTC", List.of("BTC")), "a symbol is longer than its quote asset");
  }
}
