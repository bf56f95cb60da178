package io.pekkotrader.bench;

import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.MovingAverageCrossover;
import io.pekkotrader.strategy.Strategies;
import java.math.BigDecimal;

/**
 * What a SymbolTrader decides with, taken from the engine's configuration rather than written
 * again here: the candle interval and history, the moving-average crossover's parameters, the
 * order sizing and cooldown of the first configured symbol (the benches trade synthetic symbols
 * of the same shape), and for the {@link TradingKernel}: paper fills, risk, the account asset.
 *
 * @param intervalMs {@code trading.candle-interval}
 * @param history {@code trading.candle-history}
 * @param strategy {@code strategies.ma-crossover}
 * @param decisions the order notional and lot step of {@code symbols[0]}, {@code trading.cooldown}
 * @param paper {@code paper}
 * @param risk {@code risk}
 * @param quoteAsset {@code trading.quote-asset}
 * @param startingCash {@code trading.starting-cash}
 * @param precision the quote asset's precision
 */
public record EngineDecisionSettings(
    long intervalMs,
    int history,
    MovingAverageCrossover.Params strategy,
    TradingDecisions.Params decisions,
    Settings.Paper paper,
    Settings.Risk risk,
    String quoteAsset,
    BigDecimal startingCash,
    AssetPrecision precision) {
  /** From {@code settings}. */
  public static EngineDecisionSettings of(Settings settings) {
    Settings.Trading trading = settings.trading();
    SymbolListing first = settings.symbols().get(0);
    return new EngineDecisionSettings(
        trading.candleInterval().toMillis(),
        trading.candleHistory(),
        settings.maCrossover(),
        new TradingDecisions.Params(settings.orderNotional(first), first.lotStep(), trading.cooldown().toMillis()),
        settings.paper(),
        settings.risk(),
        trading.quoteAsset(),
        trading.startingCash(),
        trading.assetPrecisions().of(trading.quoteAsset()));
  }

  /** From the shipped configuration ({@link Settings#shipped()}). */
  public static EngineDecisionSettings shipped() {
    return of(Settings.shipped());
  }

  /**
   * The kernel's settings for {@code symbols} symbols: the account and the limits that count
   * positions, orders and losses are the configured ones scaled by the symbol count, so that risk
   * approves every signal and each one is filled (paper fills at once, without the fill delay),
   * as if each symbol had the configured account to itself.
   */
  public TradingKernel.Config kernel(int symbols) {
    RiskLimits l = risk.limits();
    BigDecimal n = BigDecimal.valueOf(symbols);
    RiskLimits scaled =
        new RiskLimits(
            l.maxDailyLoss().multiply(n), l.maxLossPerTrade(), l.maxOpenPositions() * symbols, l.maxNotionalPerOrder(),
            l.maxNotionalPerSymbol(), l.maxGrossExposureMultiple(), l.maxOrdersPerSymbolPerMinute(),
            l.maxOrdersPerMinute() * symbols, l.maxDrawdown());
    return new TradingKernel.Config(
        quoteAsset, startingCash.multiply(n), precision, intervalMs, history, scaled, risk.tradingDay(),
        risk.cooldownAfterExit().toMillis(), paper.priceBuffer(), paper.feeRate(), 0);
  }

  /** A synthetic symbol of the configured shape: the crossover, the first symbol's sizing, the paper fill model. */
  public TradingKernel.Listing listing(SymbolId symbol) {
    Strategy crossover = Strategies.create(MovingAverageCrossover.NAME, strategy);
    PaperFillModel fillModel = paper.fillModel(decisions.lotStep(), precision);
    return new TradingKernel.Listing(symbol, crossover, decisions, fillModel, risk.filters(decisions.lotStep()));
  }
}
