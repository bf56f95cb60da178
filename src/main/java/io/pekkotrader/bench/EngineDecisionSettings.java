package io.pekkotrader.bench;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.domain.SymbolListing;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.strategy.MovingAverageCrossover;

/**
 * What a SymbolTrader decides with, taken from the engine's configuration rather than written
 * again here: the candle interval and history, the moving-average crossover's parameters, and
 * the order sizing and cooldown of the first configured symbol (the benches trade synthetic
 * symbols of the same shape).
 *
 * @param intervalMs {@code trading.candle-interval}
 * @param history {@code trading.candle-history}
 * @param strategy {@code strategies.ma-crossover}
 * @param decisions the order notional and lot step of {@code symbols[0]}, {@code trading.cooldown}
 */
public record EngineDecisionSettings(long intervalMs, int history, MovingAverageCrossover.Params strategy, TradingDecisions.Params decisions) {
  /** From {@code settings}. */
  public static EngineDecisionSettings of(Settings settings) {
    Settings.Trading trading = settings.trading();
    SymbolListing first = settings.symbols().get(0);
    return new EngineDecisionSettings(
        trading.candleInterval().toMillis(),
        trading.candleHistory(),
        settings.maCrossover(),
        new TradingDecisions.Params(settings.orderNotional(first), first.lotStep(), trading.cooldown().toMillis()));
  }

  /** From the shipped configuration ({@link Settings#shipped()}). */
  public static EngineDecisionSettings shipped() {
    return of(Settings.shipped());
  }
}
