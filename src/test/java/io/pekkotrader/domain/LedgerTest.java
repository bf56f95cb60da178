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

  private static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(0, dec(expected).compareTo(actual), "expected " + expected + ", got " + actual.toPlainString());
  }

  @Test
  void startsWithAllCashAvailable() {
    Ledger ledger = thousandUsdt();

    assertAmount("1000", ledger.cash());
    assertAmount("1000", ledger.available());
    assertAmount("0", ledger.reserved());
    assertTrue(ledger.position(BTCUSDT).isFlat());
  }

  @Test
  void reservingHoldsFundsWithoutSpendingCash() {
    Ledger ledger = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("500")));

    assertAmount("1000", ledger.cash());
    assertAmount("500", ledger.reserved());
    assertAmount("500", ledger.available());
  }

  @Test
  void partialBuyFillsCommitTheirCostFromTheReservation() {
    Ledger reserved = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("500")));

    // 0.01 × 20000 + 0.2 fee = 200.2; 0.01 × 20100 + 0.201 fee = 201.201
    Ledger afterFirst = reserved.applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));
    Ledger afterSecond = afterFirst.applyFill(buy("t2", ORDER_A, "0.01", "20100", "0.201"));

    assertAmount("799.8", afterFirst.cash());
    assertAmount("299.8", afterFirst.reserved());
    assertAmount("500", afterFirst.available());
    assertAmount("598.599", afterSecond.cash());
    assertAmount("98.599", afterSecond.reserved());
    assertAmount("500", afterSecond.available());
    assertAmount("0.02", afterSecond.position(BTCUSDT).quantity());
    assertAmount("20050", afterSecond.position(BTCUSDT).averagePrice());
    assertAmount("0.401", afterSecond.feesPaid());
    assertEquals(2, afterSecond.fills());
  }

  @Test
  void releasingAfterTheOrderEndsLeavesNoReservation() {
    Ledger filled =
        thousandUsdt()
            .reserve(new Reservation(ORDER_A, BTCUSDT, dec("500")))
            .applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));

    Ledger released = filled.release(ORDER_A);

    assertAmount("0", released.reserved());
    assertEquals(Map.of(), released.reservations());
    assertAmount("799.8", released.available());
    assertSame(released, released.release(ORDER_A));
  }

  @Test
  void aRoundTripRealizesProfitNetOfBothFees() {
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.02", "20000", "0.4"));

    Ledger sold = bought.applyFill(sell("t2", ORDER_B, "0.02", "21000", "0.42"));

    // (21000 − 20000) × 0.02 − 0.4 − 0.42 = 19.18
    assertAmount("-0.4", bought.realizedPnl());
    assertAmount("599.6", bought.cash());
    assertAmount("19.18", sold.realizedPnl());
    assertAmount("1019.18", sold.cash());
    assertAmount("0.82", sold.feesPaid());
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
    assertAmount("10", bought.unrealizedPnl(Map.of(BTCUSDT.id(), dec("20500"))));
  }

  @Test
  void appliesAFillWithADuplicateTradeIdOnce() {
    Ledger once = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));

    Ledger twice = once.applyFill(buy("t1", ORDER_A, "0.01", "20000", "0.2"));

    assertSame(once, twice);
    assertEquals(1, twice.fills());
    assertAmount("799.8", twice.cash());
    assertTrue(twice.hasApplied("t1"));
    assertEquals(List.of(), twice.violations());
  }

  @Test
  void refusesASellBeyondThePosition() {
    Ledger bought = thousandUsdt().applyFill(buy("t1", ORDER_A, "0.02", "20000", "0"));

    String tooMuch = bought.whyNotApplicable(sell("t2", ORDER_B, "0.03", "20000", "0"));
    String nothingHeld = thousandUsdt().whyNotApplicable(sell("t2", ORDER_B, "0.01", "20000", "0"));
    String exactlyAll = bought.whyNotApplicable(sell("t2", ORDER_B, "0.02", "20000", "0"));
    String aBuy = thousandUsdt().whyNotApplicable(buy("t3", ORDER_A, "1", "20000", "0"));

    assertNotNull(tooMuch);
    assertTrue(tooMuch.contains("0.03") && tooMuch.contains("0.02"), tooMuch);
    assertNotNull(nothingHeld);
    assertNull(exactlyAll);
    assertNull(aBuy);
  }

  @Test
  void canReserveExactlyWhatIsAvailableButNotOneUnitMore() {
    Ledger ledger = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("600")));

    assertTrue(ledger.canReserve(ORDER_B, dec("400")));
    assertTrue(ledger.canReserve(ORDER_B, dec("400.00")));
    assertFalse(ledger.canReserve(ORDER_B, dec("400.00000001")));
    assertFalse(ledger.canReserve(ORDER_B, dec("401")));
    assertFalse(ledger.canReserve(ORDER_B, BigDecimal.ZERO));
    assertTrue(ledger.canReserve(ORDER_A, dec("9999")), "an existing reservation is kept, not re-checked");
  }

  @Test
  void reservingTwiceUnderOneIdKeepsTheFirstReservation() {
    Ledger ledger = thousandUsdt().reserve(new Reservation(ORDER_A, BTCUSDT, dec("600")));

    Ledger again = ledger.reserve(new Reservation(ORDER_A, BTCUSDT, dec("100")));

    assertAmount("600", again.reserved());
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
}
