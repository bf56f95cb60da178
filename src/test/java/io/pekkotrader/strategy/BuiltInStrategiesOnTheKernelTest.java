package io.pekkotrader.strategy;

import static io.pekkotrader.domain.TestData.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.domain.risk.VenueFilters;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each built-in strategy in the synchronous kernel that backtests run (candles, decisions, risk,
 * paper fills, ledger), on a seeded walk: it enters and exits, risk approves its entries with the
 * strategy's stop price, and the ledger stays consistent.
 */
class BuiltInStrategiesOnTheKernelTest {
  private static final SymbolId SYMBOL = SymbolId.parse("binance:AAAUSDT");
  private static final long SECOND_MS = 1_000L;

  /** Six hours of one trade a second, a walk of ±0.20 around 100 with quantities 0.1..2. */
  private static TradingKernel run(Strategy strategy) {
    RiskLimits limits = new RiskLimits(dec("100000"), dec("1000"), 10, dec("5000"), dec("10000"), dec("10"), 100, 1000, dec("0.5"));
    TradingKernel kernel =
        new TradingKernel(
            new TradingKernel.Config(
                "USDT", dec("10000"), AssetPrecision.DEFAULT, 10 * SECOND_MS, 200, limits, TradingDay.UTC_MIDNIGHT, 30 * SECOND_MS,
                dec("0.01"), dec("0.001"), 500));
    kernel.addSymbol(
        new TradingKernel.Listing(
            SYMBOL,
            strategy,
            new TradingDecisions.Params(dec("1000"), dec("0.001"), 30 * SECOND_MS),
            new PaperFillModel(dec("0.001"), dec("2"), 1, dec("0.001")),
            new VenueFilters(BigDecimal.ZERO, dec("0.001"), dec("0.001"), dec("0.01"))));
    SplittableRandom random = new SplittableRandom(11);
    long cents = 10_000;
    for (int i = 0; i < 6 * 3600; i++) {
      cents = Math.max(1_000, cents + random.nextInt(41) - 20);
      BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(20), 1);
      Side taker = random.nextBoolean() ? Side.BUY : Side.SELL;
      kernel.onTrade(SYMBOL, new Trade("t" + i, 1_700_000_000_000L + i * SECOND_MS, BigDecimal.valueOf(cents, 2), quantity, taker));
    }
    return kernel;
  }

  private static void assertTrades(Strategy strategy) {
    TradingKernel kernel = run(strategy);

    TradingKernel.Counts counts = kernel.counts();
    assertTrue(counts.entries() > 0 && counts.exits() > 0, strategy.name() + ": " + counts);
    assertEquals(0, counts.rejected(), strategy.name() + ": risk approves every intent, entries with the strategy's stop: " + counts);
    assertEquals(counts.entries() + counts.exits(), counts.approved(), strategy.name() + ": " + counts);
    assertTrue(kernel.fills().stream().anyMatch(f -> f.side() == Side.SELL), strategy.name() + ": an exit filled");
    assertEquals(List.of(), kernel.ledger().violations());
  }

  @Test
  void maCrossoverTradesInTheKernel() {
    assertTrades(Strategies.create(MovingAverageCrossover.NAME, Map.of("min-volatility", "0")));
  }

  @Test
  void rsiReversionTradesInTheKernel() {
    assertTrades(Strategies.create(RsiReversion.NAME, Map.of("period", "6", "oversold", "35", "overbought", "60")));
  }

  @Test
  void volatilityBreakoutTradesInTheKernel() {
    assertTrades(
        Strategies.create(
            VolatilityBreakout.NAME,
            Map.of("lookback", "10", "volume-factor", "0.9", "range-factor", "0.9", "natr-min", "0.01", "growth-lookback", "10", "growth-min", "0")));
  }
}
