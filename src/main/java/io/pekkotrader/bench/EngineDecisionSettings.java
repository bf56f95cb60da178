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
import io.pekkotrader.strategy.Strategies;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a SymbolTrader decides with, taken from the engine's configuration rather than written
 * again here: the candle interval and history, the strategy the first configured symbol names with
 * its configured parameters, that symbol's order sizing and cooldown (the benches trade synthetic
 * symbols of the same shape), and for the {@link TradingKernel}: paper fills, risk, the account
 * asset.
 *
 * @param intervalMs {@code trading.candle-interval}
 * @param history {@code trading.candle-history}
 * @param strategy the strategy {@code symbols[0]} names ({@code ma-crossover} as shipped)
 * @param strategyParams its parameters, {@code strategies.<strategy>} (every one, as written)
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
    String strategy,
    Map<String, String> strategyParams,
    TradingDecisions.Params decisions,
    Settings.Paper paper,
    Settings.Risk risk,
    String quoteAsset,
    BigDecimal startingCash,
    AssetPrecision precision) {

  /**
   * @throws IllegalArgumentException an unknown strategy, or (as {@link
   *     io.pekkotrader.strategy.InvalidStrategyParameter}) a parameter it does not take or refuses
   */
  public EngineDecisionSettings {
    Objects.requireNonNull(strategy, "strategy");
    strategyParams = Collections.unmodifiableMap(new LinkedHashMap<>(strategyParams));
    // built once here so that a strategy that cannot be built fails now, not in the first listing
    Strategies.create(strategy, strategyParams);
  }

  /** From {@code settings}. */
  public static EngineDecisionSettings of(Settings settings) {
    Settings.Trading trading = settings.trading();
    SymbolListing first = settings.symbols().get(0);
    return new EngineDecisionSettings(
        trading.candleInterval().toMillis(),
        trading.candleHistory(),
        first.strategy(),
        settings.strategyParams(first.strategy()),
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
   * A new instance of the configured strategy with its configured parameters, as the engine's
   * guardian builds one for each SymbolTrader ({@link Settings#strategy(String)}).
   */
  public Strategy newStrategy() {
    return Strategies.create(strategy, strategyParams);
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

  /** A synthetic symbol of the configured shape: the configured strategy, the first symbol's sizing, the paper fill model. */
  public TradingKernel.Listing listing(SymbolId symbol) {
    PaperFillModel fillModel = paper.fillModel(decisions.lotStep(), precision);
    return new TradingKernel.Listing(symbol, newStrategy(), decisions, fillModel, risk.filters(decisions.lotStep()));
  }
}
