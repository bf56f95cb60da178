package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OrderSizingTest {

  private static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(0, dec(expected).compareTo(actual), "expected " + expected + ", got " + actual.toPlainString());
  }

  @Test
  void roundsTheQuantityDownToTheLotStep() {
    // 100 / 30000 = 0.0033333…, down to the 0.00001 step
    BigDecimal quantity = OrderSizing.quantityFor(dec("100"), dec("30000"), dec("0.00001"));

    assertEquals(dec("0.00333"), quantity);
  }

  @Test
  void sizesExactlyOneStepWhenTheNotionalBuysExactlyOne() {
    BigDecimal quantity = OrderSizing.quantityFor(dec("30"), dec("30000"), dec("0.001"));

    assertAmount("0.001", quantity);
  }

  @Test
  void sizesZeroWhenTheNotionalBuysLessThanOneStep() {
    BigDecimal quantity = OrderSizing.quantityFor(dec("29.99"), dec("30000"), dec("0.001"));

    assertEquals(0, quantity.signum());
  }

  @Test
  void rejectsNonPositiveInputs() {
    assertThrows(IllegalArgumentException.class, () -> OrderSizing.quantityFor(BigDecimal.ZERO, dec("1"), dec("1")));
    assertThrows(IllegalArgumentException.class, () -> OrderSizing.quantityFor(dec("1"), dec("-1"), dec("1")));
    IllegalArgumentException noStep =
        assertThrows(IllegalArgumentException.class, () -> OrderSizing.quantityFor(dec("1"), dec("1"), BigDecimal.ZERO));

    assertEquals("notional, price and lot step must all be > 0", noStep.getMessage());
  }

  @Test
  void reservesTheBufferedNotionalPlusItsFee() {
    // 0.01 × 20000 = 200; × 1.01 = 202; + 202 × 0.001 = 202.202
    BigDecimal reservation = OrderSizing.reservationFor(dec("0.01"), dec("20000"), dec("0.01"), dec("0.001"));

    assertAmount("202.202", reservation);
  }

  @Test
  void reservesTheBareNotionalWithoutBufferOrFee() {
    BigDecimal reservation = OrderSizing.reservationFor(dec("0.5"), dec("100"), BigDecimal.ZERO, BigDecimal.ZERO);

    assertAmount("50", reservation);
  }
}
