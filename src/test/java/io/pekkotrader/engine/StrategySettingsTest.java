package io.pekkotrader.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pekkotrader.domain.Strategy;
import io.pekkotrader.strategy.InvalidStrategyParameter;
import io.pekkotrader.strategy.MovingAverageCrossover;
import io.pekkotrader.strategy.RsiReversion;
import io.pekkotrader.strategy.Strategies;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a symbol's strategy gets from {@code pekko-trader.strategies}. */
class StrategySettingsTest {

  @Test
  void theShippedSettingsHoldTheShippedDefaultsOfEveryRegisteredStrategy() {
    Settings shipped = Settings.shipped();

    for (String name : Strategies.names()) {
      assertEquals(Strategies.shippedDefaults(name), shipped.strategyParams(name), name);
    }
    assertEquals(
        ((MovingAverageCrossover) Strategies.create(MovingAverageCrossover.NAME, Map.of())).params(),
        ((MovingAverageCrossover) shipped.strategy(MovingAverageCrossover.NAME)).params());
  }

  @Test
  void aConfiguredParameterReachesTheStrategyOfEverySymbolThatNamesIt() {
    Settings settings =
        Settings.from(
            Settings.loadConfig(
                Map.of(
                    "pekko-trader.strategies.rsi-reversion.period", "5",
                    "pekko-trader.strategies.volatility-breakout.lookback", "40"),
                Map.of(),
                null));

    Strategy rsi = settings.strategy("rsi-reversion");
    assertInstanceOf(RsiReversion.class, rsi);
    assertEquals(6, rsi.requiredCandles(), "period 5 + 1");
    assertEquals(41, settings.strategy("volatility-breakout").requiredCandles(), "max(lookback 40, atr-period 14) + 1");
    assertEquals("5", settings.strategyParams("rsi-reversion").get("period"));
    assertEquals("30", settings.strategyParams("rsi-reversion").get("oversold"), "the rest keep the shipped values");
  }

  @Test
  void overridesSuchAsParamValuesTakeThePlaceOfTheConfiguredOnes() {
    Settings settings =
        Settings.from(Settings.loadConfig(Map.of("pekko-trader.strategies.rsi-reversion.period", "5"), Map.of(), null));

    assertEquals(6, settings.strategy("rsi-reversion", Map.of()).requiredCandles(), "configured period 5");
    assertEquals(10, settings.strategy("rsi-reversion", Map.of("period", "9")).requiredCandles(), "period 9 given");
    assertEquals(
        "strategy rsi-reversion: parameter period must be in 2..500, got \"0\"",
        assertThrows(InvalidStrategyParameter.class, () -> settings.strategy("rsi-reversion", Map.of("period", "0"))).getMessage());
  }

  @Test
  void anUnknownStrategyIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.shipped().strategy("moon-shot"));
    assertEquals("unknown strategy 'moon-shot', known: [ma-crossover, rsi-reversion, volatility-breakout]", e.getMessage());
  }
}
