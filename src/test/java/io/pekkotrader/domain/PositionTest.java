package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.position;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PositionTest {

  private static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(0, dec(expected).compareTo(actual), "expected " + expected + ", got " + actual.toPlainString());
  }

  @Test
  void buysRaiseTheQuantityAtAWeightedAveragePrice() {
    Position first = Position.FLAT.apply(Side.BUY, dec("1"), dec("100"));

    Position second = first.apply(Side.BUY, dec("3"), dec("200"));

    // (1 × 100 + 3 × 200) / 4 = 175
    assertAmount("1", first.quantity());
    assertAmount("100", first.averagePrice());
    assertAmount("4", second.quantity());
    assertAmount("175", second.averagePrice());
  }

  @Test
  void sellsReduceTheQuantityAndKeepTheAveragePrice() {
    Position held = position("4", "175");

    Position after = held.apply(Side.SELL, dec("1"), dec("300"));

    assertAmount("3", after.quantity());
    assertAmount("175", after.averagePrice());
  }

  @Test
  void sellingEverythingLeavesTheFlatPosition() {
    Position held = position("0.5", "20000");

    Position after = held.apply(Side.SELL, dec("0.50"), dec("21000"));

    assertSame(Position.FLAT, after);
    assertTrue(after.isFlat());
  }

  @Test
  void roundsANonTerminatingAverageToThirtyFourDigits() {
    Position held = Position.FLAT.apply(Side.BUY, dec("1"), dec("1")).apply(Side.BUY, dec("2"), dec("2"));

    BigDecimal average = held.averagePrice();

    // 5 / 3
    assertEquals(34, average.precision());
    assertEquals(new BigDecimal("1.666666666666666666666666666666667"), average);
  }

  @Test
  void computesUnrealizedProfitBeforeFees() {
    Position held = position("4", "175");

    assertAmount("20", held.unrealizedPnl(dec("180")));
    assertAmount("-30", held.unrealizedPnl(dec("167.5")));
  }
}
