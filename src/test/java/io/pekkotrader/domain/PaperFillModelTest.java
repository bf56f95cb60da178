package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.entryIntent;
import static io.pekkotrader.domain.TestData.exitIntent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaperFillModelTest {
  private static final String COID = "binance-BTCUSDT-7";

  private static PaperFillModel model(String slippageBps, int parts) {
    return new PaperFillModel(dec("0.001"), dec(slippageBps), parts, dec("0.001"));
  }

  private static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(0, dec(expected).compareTo(actual), "expected " + expected + ", got " + actual.toPlainString());
  }

  @Test
  void movesTheBuyPriceUpAndTheSellPriceDownBySlippage() {
    PaperFillModel tenBps = model("10", 1);

    // 20000 × 10 / 10000 = 20
    assertAmount("20020", tenBps.fillPrice(Side.BUY, dec("20000")));
    assertAmount("19980", tenBps.fillPrice(Side.SELL, dec("20000")));
    assertAmount("20000", model("0", 1).fillPrice(Side.BUY, dec("20000")));
  }

  @Test
  void chargesTheFeeAtTheQuoteAssetsPrecisionAsTheVenueDoes() {
    OrderIntent buy = entryIntent(COID, "0.00123457", "12345.67");

    Fill eightDecimals = model("0", 1).fills(buy, dec("12345.67"), 0).get(0);
    Fill cents =
        new PaperFillModel(dec("0.001"), dec("0"), 1, dec("0.00000001"), new AssetPrecision(2, java.math.RoundingMode.HALF_EVEN))
            .fills(buy, dec("12345.67"), 0)
            .get(0);

    // 0.00123457 × 12345.67 × 0.001 = 0.0152415938119
    assertEquals(dec("0.01524159"), eightDecimals.fee());
    assertEquals(dec("0.02"), cents.fee());
  }

  @Test
  void fillsAWholeOrderOnceAtTheSlippedPriceWithTheFee() {
    OrderIntent buy = entryIntent(COID, "0.5", "20000");

    List<Fill> fills = model("10", 1).fills(buy, dec("20000"), 5_000L);

    // 20020 × 0.5 × 0.001 = 10.01
    assertEquals(1, fills.size());
    Fill fill = fills.get(0);
    assertEquals(COID + "-1", fill.tradeId());
    assertEquals(COID, fill.clientOrderId());
    assertEquals(Side.BUY, fill.side());
    assertAmount("0.5", fill.quantity());
    assertAmount("20020", fill.price());
    assertAmount("10.01", fill.fee());
    assertEquals(5_000L, fill.timestampMs());
  }

  @Test
  void fillsASellBelowTheLastPrice() {
    OrderIntent sell = exitIntent(COID, "0.5", "20000");

    Fill fill = model("10", 1).fills(sell, dec("20000"), 5_000L).get(0);

    // 19980 × 0.5 × 0.001 = 9.99
    assertEquals(Side.SELL, fill.side());
    assertAmount("19980", fill.price());
    assertAmount("9.99", fill.fee());
  }

  @Test
  void splitsIntoLotAlignedPartsThatSumToTheQuantityExactly() {
    OrderIntent buy = entryIntent(COID, "1.000", "100");

    List<Fill> fills = model("0", 3).fills(buy, dec("100"), 5_000L);

    assertEquals(3, fills.size());
    assertAmount("0.333", fills.get(0).quantity());
    assertAmount("0.333", fills.get(1).quantity());
    assertAmount("0.334", fills.get(2).quantity());
    BigDecimal total = fills.stream().map(Fill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertEquals(0, dec("1.000").compareTo(total));
    assertAmount("0.1", fills.stream().map(Fill::fee).reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  @Test
  void numbersTradeIdsUniquelyAfterTheClientOrderId() {
    OrderIntent buy = entryIntent(COID, "1", "100");

    List<String> tradeIds = model("0", 4).fills(buy, dec("100"), 5_000L).stream().map(Fill::tradeId).toList();

    assertEquals(List.of(COID + "-1", COID + "-2", COID + "-3", COID + "-4"), tradeIds);
    assertEquals(4, new HashSet<>(tradeIds).size());
  }

  @Test
  void fillsOnceWhenTheQuantityIsTooSmallToSplit() {
    OrderIntent buy = entryIntent(COID, "0.002", "100");

    List<Fill> fills = model("0", 3).fills(buy, dec("100"), 5_000L);

    assertEquals(1, fills.size());
    assertAmount("0.002", fills.get(0).quantity());
  }

  @Test
  void rejectsNegativeFeeOrSlippageNoPartsOrNoLotStep() {
    assertThrows(IllegalArgumentException.class, () -> new PaperFillModel(dec("-0.001"), dec("0"), 1, dec("0.001")));
    assertThrows(IllegalArgumentException.class, () -> new PaperFillModel(dec("0.001"), dec("-1"), 1, dec("0.001")));
    assertThrows(IllegalArgumentException.class, () -> new PaperFillModel(dec("0.001"), dec("0"), 0, dec("0.001")));
    IllegalArgumentException noStep =
        assertThrows(IllegalArgumentException.class, () -> new PaperFillModel(dec("0.001"), dec("0"), 1, dec("0")));

    assertEquals("fee rate and slippage must be >= 0, parts >= 1, lot step > 0", noStep.getMessage());
  }
}
