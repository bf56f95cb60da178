package io.pekkotrader.domain.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Valuation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The portfolio's risk figures as pure functions of ledger, prices and peak: no actor. */
class PortfolioRiskTest {
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("sim:ETHUSDT");
  private static final SymbolId ETHBTC = SymbolId.parse("sim:ETHBTC");

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  private static void assertValue(String expected, BigDecimal actual) {
    assertValue(expected, actual, "");
  }

  private static void assertValue(String expected, BigDecimal actual, String why) {
    assertEquals(0, d(expected).compareTo(actual), why + ": expected " + expected + " but was " + actual);
  }

  /** 1000 USDT; 2 BTC bought at 100; 300 USDT held for an ETH entry. */
  private static Ledger holdingBtcAndEnteringEth() {
    return Ledger.start("USDT", d("1000"))
        .reserve(new Reservation("b-1", BTC, d("200"), "USDT"))
        .applyFill(new Fill("t1", "b-1", BTC, Side.BUY, d("2"), d("100"), BigDecimal.ZERO, 0), "USDT")
        .release("b-1")
        .reserve(new Reservation("e-1", ETH, d("300"), "USDT"));
  }

  @Test
  void thePeakFollowsOnlyACompleteEquity() {
    Ledger twoAssets = Ledger.start("USDT", Map.of("USDT", d("1000"), "BTC", d("0.5")));

    Valuation withoutRate = twoAssets.valuation(Map.of());
    Valuation withRate = twoAssets.valuation(Map.of(BTC.id(), d("20000")));

    assertValue("1000", PortfolioRisk.peakAfter(d("1000"), withoutRate));
    assertValue("11000", PortfolioRisk.peakAfter(d("1000"), withRate));
    assertValue("12000", PortfolioRisk.peakAfter(d("12000"), withRate), "never lowered");
  }

  @Test
  void figuresTakeTheHighestOfTheObservedAndPersistedPeakAndTheEquityNow() {
    Ledger ledger = holdingBtcAndEnteringEth();
    Valuation valuation = ledger.valuation(Map.of(BTC.id(), d("150")));

    PortfolioFigures figures = PortfolioRisk.figures(valuation, d("1050"), d("1020"), 7, d("990"), null);

    assertValue("1100", figures.equity());
    assertValue("1100", figures.peakEquity());
    assertValue("110", figures.dailyPnl());
    assertEquals(7, figures.dayStartMs());
    assertValue("1250", PortfolioRisk.figures(valuation, d("1250"), d("1020"), 7, d("990"), null).peakEquity());
    assertValue("1300", PortfolioRisk.figures(valuation, d("1250"), d("1300"), 7, d("990"), null).peakEquity());
  }

  @Test
  void askingForTheFiguresTwiceGivesTheSameAnswer() {
    Ledger ledger = holdingBtcAndEnteringEth();
    Valuation high = ledger.valuation(Map.of(BTC.id(), d("200")));
    Valuation low = ledger.valuation(Map.of(BTC.id(), d("150")));

    PortfolioFigures first = PortfolioRisk.figures(high, d("1000"), d("1000"), 0, d("1000"), null);
    PortfolioFigures lower = PortfolioRisk.figures(low, d("1000"), d("1000"), 0, d("1000"), null);

    assertEquals(first, PortfolioRisk.figures(high, d("1000"), d("1000"), 0, d("1000"), null));
    assertValue("1200", first.peakEquity());
    assertValue("1100", lower.peakEquity(), "asking at the high did not raise the peak the next answer starts from");
  }

  @Test
  void exposureLeavesTheDecidedOrderOut() {
    Ledger ledger = holdingBtcAndEnteringEth();
    Valuation valuation = ledger.valuation(Map.of(BTC.id(), d("150")));

    PortfolioExposure others = PortfolioRisk.exposure(ledger, valuation, Map.of(BTC.id(), d("150")), ETH, "e-2", "USDT");
    PortfolioExposure itself = PortfolioRisk.exposure(ledger, valuation, Map.of(BTC.id(), d("150")), ETH, "e-1", "USDT");

    assertEquals(1, others.openPositions());
    assertEquals(1, others.workingEntries());
    assertEquals(2, others.openPositionsAndEntries());
    assertTrue(others.symbolHasWorkingOrder());
    assertFalse(others.symbolHasPosition());
    assertValue("600", others.grossExposure(), "2 BTC at 150 plus the 300 held for e-1");
    assertEquals(0, itself.workingEntries());
    assertFalse(itself.symbolHasWorkingOrder());
    assertValue("300", itself.grossExposure());
    assertEquals("USDT", itself.symbolAsset());
    assertValue("1", itself.symbolRate());
  }

  @Test
  void exposureValuesTheSymbolsPositionAtItsLastPriceOrItsAveragePrice() {
    Ledger ledger = holdingBtcAndEnteringEth();

    PortfolioExposure marked = PortfolioRisk.exposure(ledger, ledger.valuation(Map.of(BTC.id(), d("150"))), Map.of(BTC.id(), d("150")), BTC, null, "USDT");
    PortfolioExposure unmarked = PortfolioRisk.exposure(ledger, ledger.valuation(Map.of()), Map.of(), BTC, null, "USDT");

    assertTrue(marked.symbolHasPosition());
    assertValue("300", marked.symbolNotional());
    assertValue("200", unmarked.symbolNotional());
  }

  @Test
  void exposureLeavesOutAnAssetWithoutARateAndNamesNoRateForIt() {
    Ledger ledger =
        Ledger.start("USDT", Map.of("USDT", d("1000"), "BTC", d("0.5"))).reserve(new Reservation("e-1", ETHBTC, d("0.2"), "BTC"));

    PortfolioExposure exposure = PortfolioRisk.exposure(ledger, ledger.valuation(Map.of()), Map.of(), ETHBTC, "e-2", "BTC");

    assertValue("0", exposure.grossExposure());
    assertEquals("BTC", exposure.symbolAsset());
    assertNull(exposure.symbolRate());
    assertEquals(1, exposure.workingEntries());
  }

  @Test
  void theMaximumOfOpenPositionsIsOneRuleForTheCheckAndTheReservation() {
    assertNull(RiskCheck.openPositionsFailure(2, 3));
    assertEquals("3 positions and entries open, limit 3", RiskCheck.openPositionsFailure(3, 3));
  }
}
