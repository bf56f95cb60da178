package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkotrader.domain.RoundTrips;
import io.pekkotrader.domain.TradingKernel;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestReportTest {
  private static final long DAY = 86_400_000L;
  /** Numbers read as written: {@code 3.0000} stays {@code 3.0000}. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  private static RoundTrips.RoundTrip trip(long n, String entryCost, String exitValue, String fees, long holdMs, String reason) {
    return new RoundTrips.RoundTrip(n, BacktestTest.BTC, "long", "USDT", n * DAY, n * DAY + holdMs, BigDecimal.ONE, new BigDecimal(entryCost),
        new BigDecimal(exitValue), new BigDecimal(fees), "BTCUSDT-" + n, reason);
  }

  private static Backtest.Result result(List<RoundTrips.RoundTrip> trips) {
    Backtest.Curve curve = new Backtest.Curve(new long[] {0, DAY, 2 * DAY, 3 * DAY, 4 * DAY},
        new BigDecimal[] {new BigDecimal("10000"), new BigDecimal("11000"), new BigDecimal("9900"), new BigDecimal("10450"), new BigDecimal("10500")});
    return new Backtest.Result(BacktestTest.setup(List.of(BacktestTest.BTC)), 1000, 0, 4 * DAY, new BigDecimal("10000"), new BigDecimal("10500"),
        List.of(), trips, trips.size() * 2L, new BigDecimal("6"), 2 * DAY,
        List.of(new Backtest.Market(BacktestTest.BTC, 1000, new BigDecimal("100"), new BigDecimal("90"), 5)), curve,
        new TradingKernel.Counts(1000, 5, 3, 3, 6, 0, 6), 0, List.of());
  }

  @Test
  void computesTheSummaryFiguresByHand() throws Exception {
    List<RoundTrips.RoundTrip> trips = List.of(
        trip(1, "1000", "1101", "1", 60_000, "take profit: close 1101 >= 1100"),
        trip(2, "1000", "952", "2", 120_000, "stop loss: close 952 <= 960"),
        trip(3, "1000", "1053", "3", 180_000, "take profit: close 1053 >= 1050"));

    JsonNode json = MAPPER.readTree(BacktestReport.json(result(trips), "ma-crossover", Map.of("fast", "3")));
    JsonNode s = json.get("summary");

    assertEquals("10500", s.get("finalBalance").asText());
    assertEquals("5.0000", s.get("totalReturnPct").asText());
    // from the 11000 peak down to 9900: 1100, 10 %
    assertEquals("10.0000", s.get("maxDrawdownPct").asText());
    assertEquals("1100", s.get("maxDrawdown").asText());
    assertEquals(DAY, s.get("maxDrawdownStartMs").asLong());
    assertEquals(2 * DAY, s.get("maxDrawdownEndMs").asLong());
    // PnL: +100, -50, +50 → profit factor 150 / 50, expectancy 100 / 3, 2 of 3 won
    assertEquals("3.0000", s.get("profitFactor").asText());
    assertEquals("33.33333333", s.get("expectancy").asText());
    assertEquals("66.67", s.get("winRatePct").asText());
    assertEquals(120_000, s.get("avgHoldingMsWinners").asLong(), "(60 s + 180 s) / 2");
    assertEquals(120_000, s.get("avgHoldingMsLosers").asLong());
    assertEquals("100", s.get("bestTrade").asText());
    assertEquals("-50", s.get("worstTrade").asText());
    assertEquals("50.00", s.get("exposurePct").asText(), "2 of 4 days");
    assertEquals("-10.00", s.get("marketChangePct").asText());
    assertEquals("0.7500", s.get("tradesPerDay").asText());
    // CAGR: 1.05 ^ (365 / 4) - 1
    assertEquals(BacktestReport.pct(Math.pow(1.05, 365.0 / 4) - 1).toPlainString(), s.get("cagrPct").asText());
    assertTrue(s.get("sharpe").isNumber());
    JsonNode reasons = json.get("exitReasons");
    assertEquals("stop loss", reasons.get(0).get("reason").asText());
    assertEquals("take profit", reasons.get(1).get("reason").asText());
    assertEquals(2, reasons.get(1).get("trades").asInt());
    assertEquals("150", reasons.get(1).get("pnl").asText());
    assertEquals("3", json.get("params").get("fast").asText());
  }

  @Test
  void leavesFiguresThatDoNotExistNull() throws Exception {
    JsonNode s = MAPPER.readTree(BacktestReport.json(result(List.of()), "ma-crossover", Map.of())).get("summary");

    assertTrue(s.get("profitFactor").isNull());
    assertTrue(s.get("winRatePct").isNull());
    assertTrue(s.get("expectancy").isNull());
    assertEquals(0, s.get("trades").asInt());
    assertNull(BacktestReport.ratio(Double.NaN));
  }
}
