package io.pekkotrader.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskLimitsTest {
  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  private static final RiskLimits VALID =
      new RiskLimits(d("500"), d("20"), 3, d("1000"), d("1500"), d("2"), 5, 20, d("0.2"));

  private static List<String> fields(RiskLimits limits) {
    return limits.violations().stream().map(RiskLimits.Violation::field).toList();
  }

  @Test
  void acceptsSensibleLimits() {
    assertEquals(List.of(), VALID.violations());
  }

  @Test
  void namesEveryFieldThatIsNegativeZeroOrMissing() {
    RiskLimits bad = new RiskLimits(d("-1"), BigDecimal.ZERO, 0, null, d("1500"), d("-2"), 0, 0, d("0"));

    assertEquals(
        List.of(
            "maxDailyLoss", "maxLossPerTrade", "maxOpenPositions", "maxNotionalPerOrder", "maxGrossExposureMultiple",
            "maxOrdersPerSymbolPerMinute", "maxOrdersPerMinute", "maxDrawdown"),
        fields(bad));
    assertTrue(bad.violations().get(0).message().contains("must be > 0, got -1"));
    assertTrue(bad.violations().get(3).message().contains("is missing"));
  }

  @Test
  void rejectsADrawdownOfAWholeEquityOrMore() {
    assertEquals(List.of("maxDrawdown"), fields(new RiskLimits(d("500"), d("20"), 3, d("1000"), d("1500"), d("2"), 5, 20, d("1"))));
  }

  @Test
  void rejectsLimitsThatContradictEachOther() {
    assertEquals(
        List.of("maxOrdersPerMinute"), fields(new RiskLimits(d("500"), d("20"), 3, d("1000"), d("1500"), d("2"), 5, 4, d("0.2"))));
    assertEquals(
        List.of("maxNotionalPerOrder"), fields(new RiskLimits(d("500"), d("20"), 3, d("2000"), d("1500"), d("2"), 5, 20, d("0.2"))));
  }

  @Test
  void hashesEqualLimitsEquallyHoweverTheirDecimalsAreWritten() {
    RiskLimits sameWrittenOtherwise =
        new RiskLimits(d("500.00"), d("20.0"), 3, d("1E+3"), d("1500"), d("2.000"), 5, 20, d("0.20"));
    RiskLimits different = new RiskLimits(d("501"), d("20"), 3, d("1000"), d("1500"), d("2"), 5, 20, d("0.2"));

    assertEquals(VALID.sha256(), sameWrittenOtherwise.sha256());
    assertNotEquals(VALID.sha256(), different.sha256());
    assertEquals(64, VALID.sha256().length());
  }

  @Test
  void hashesTheDocumentedCanonicalForm() throws Exception {
    String canonical =
        "maxDailyLoss=500;maxLossPerTrade=20;maxOpenPositions=3;maxNotionalPerOrder=1000;maxNotionalPerSymbol=1500;"
            + "maxGrossExposureMultiple=2;maxOrdersPerSymbolPerMinute=5;maxOrdersPerMinute=20;maxDrawdown=0.2;";
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertEquals(java.util.HexFormat.of().formatHex(digest), VALID.sha256());
  }
}
