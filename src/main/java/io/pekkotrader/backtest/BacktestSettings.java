package io.pekkotrader.backtest;

import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.Strategies;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backtest's {@link Backtest.Setup} from the engine's configuration, as {@code run} would trade:
 * the account (quote asset, starting cash, its precision), candle history, risk limits, trading
 * day and cooldowns, the paper fill model (fee rate, slippage, partial fills, price buffer), and
 * per symbol its configured lot step and order notional (a symbol not configured gets the finest
 * lot step and {@code trading.order-notional}). The backtest's own choices come from its flags:
 * the candle interval, the latency and the strategy with its parameters.
 */
public final class BacktestSettings {
  private BacktestSettings() {}

  /**
   * @param symbols the symbols traded, each once
   * @param intervalMs candle interval
   * @param latencyMs decision to venue arrival
   * @param strategy the strategy's name
   * @param params its parameters as {@code key -> value}
   * @throws IllegalArgumentException an unknown strategy or parameter, or a value it refuses
   */
  public static Backtest.Setup setup(
      Settings settings, List<SymbolId> symbols, long intervalMs, long latencyMs, String strategy, Map<String, String> params) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("the candle interval must be > 0, got " + intervalMs + " ms");
    }
    if (latencyMs < 0) {
      throw new IllegalArgumentException("the latency must be >= 0, got " + latencyMs + " ms");
    }
    Settings.Trading trading = settings.trading();
    Settings.Risk risk = settings.risk();
    Settings.Paper paper = settings.paper();
    AssetPrecision precision = trading.assetPrecisions().of(trading.quoteAsset());
    TradingKernel.Config kernel =
        new TradingKernel.Config(
            trading.quoteAsset(), trading.startingCash(), precision, intervalMs, trading.candleHistory(), risk.limits(), risk.tradingDay(),
            risk.cooldownAfterExit().toMillis(), paper.priceBuffer(), paper.feeRate(), latencyMs, true);
    Set<SymbolId> distinct = new LinkedHashSet<>(symbols);
    List<TradingKernel.Listing> listings = new ArrayList<>();
    for (SymbolId symbol : distinct) {
      SymbolListing configured = settings.symbol(symbol);
      BigDecimal lotStep = configured != null ? configured.lotStep() : SymbolListing.FINEST_LOT_STEP;
      BigDecimal notional = configured != null ? settings.orderNotional(configured) : trading.orderNotional();
      TradingDecisions.Params sizing = new TradingDecisions.Params(notional, lotStep, trading.cooldown().toMillis());
      listings.add(new TradingKernel.Listing(
          symbol, strategy(strategy, params, settings), sizing, paper.fillModel(lotStep, precision), risk.filters(lotStep)));
    }
    return new Backtest.Setup(kernel, listings);
  }

  /**
   * The strategy {@code name} with {@code params} (the {@code --param} values) over its configured
   * parameters ({@link Settings#strategy(String, Map)}).
   *
   * @throws IllegalArgumentException an unknown strategy or parameter, or a value out of its range
   */
  public static Strategy strategy(String name, Map<String, String> params, Settings settings) {
    if (!Strategies.exists(name)) {
      throw new IllegalArgumentException(Strategies.problem(name));
    }
    return settings.strategy(name, params);
  }
}
