package io.pekkotrader.strategy;

import static io.pekkotrader.domain.TestData.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrategiesTest {

  @Test
  void registersExactlyTheBuiltInClasses() {
    assertEquals(List.of("ma-crossover", "rsi-reversion", "volatility-breakout"), List.copyOf(Strategies.names()));
    assertEquals(
        List.of(MovingAverageCrossover.class, RsiReversion.class, VolatilityBreakout.class),
        Strategies.names().stream().map(name -> Strategies.create(name, Map.of()).getClass()).toList());
    for (String name : Strategies.names()) {
      assertEquals(name, Strategies.create(name, Map.of()).name());
      assertTrue(Strategies.exists(name));
    }
  }

  @Test
  void everyParameterHasExactlyOneShippedDefaultAndEveryDefaultAParameter() {
    for (StrategyDescriptor descriptor : Strategies.descriptors()) {
      assertEquals(
          Set.copyOf(descriptor.paramNames()),
          Strategies.shippedDefaults(descriptor.name()).keySet(),
          "application.conf's pekko-trader.strategies." + descriptor.name() + " against the declared parameters");
    }
  }

  @Test
  void takesTheShippedDefaultsForParametersNotGiven() {
    MovingAverageCrossover shipped = (MovingAverageCrossover) Strategies.create("ma-crossover", Map.of());
    assertEquals(new MovingAverageCrossover.Params(3, 8, 8, 0.0001, dec("0.004"), dec("0.006")), shipped.params());

    MovingAverageCrossover faster = (MovingAverageCrossover) Strategies.create("ma-crossover", Map.of("fast", "2", "slow", "5"));
    assertEquals(new MovingAverageCrossover.Params(2, 5, 8, 0.0001, dec("0.004"), dec("0.006")), faster.params());
    assertEquals(6, Strategies.create("rsi-reversion", Map.of("period", "5")).requiredCandles());
  }

  @Test
  void rejectsAnUnknownNameListingTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Strategies.create("rsi-magic", Map.of()));

    assertEquals("unknown strategy 'rsi-magic', known: [ma-crossover, rsi-reversion, volatility-breakout]", error.getMessage());
    assertFalse(Strategies.exists("rsi-magic"));
    assertEquals("unknown strategy 'rsi-magic' (known: [ma-crossover, rsi-reversion, volatility-breakout])", Strategies.problem("rsi-magic"));
    assertEquals("no strategy is named (known: [ma-crossover, rsi-reversion, volatility-breakout])", Strategies.problem(" "));
  }

  @Test
  void rejectsAnUnknownParameterNamingTheKnownOnes() {
    InvalidStrategyParameter error =
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("rsi-reversion", Map.of("perod", "10")));

    assertEquals(
        "strategy rsi-reversion: parameter perod is not a parameter of it (known: [period, oversold, overbought, stop-loss]), got \"10\"",
        error.getMessage());
    assertEquals("perod", error.parameter());
  }

  @Test
  void rejectsAValueOutOfRangeNamingTheParameterAndTheRange() {
    assertEquals(
        "strategy rsi-reversion: parameter period must be in 2..500, got \"1\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("rsi-reversion", Map.of("period", "1"))).getMessage());
    assertEquals(
        "strategy rsi-reversion: parameter oversold must be in (0, 100), got \"100\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("rsi-reversion", Map.of("oversold", "100"))).getMessage());
    assertEquals(
        "strategy volatility-breakout: parameter natr-min must be in >= 0, got \"-0.1\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("volatility-breakout", Map.of("natr-min", "-0.1"))).getMessage());
    assertEquals(
        "strategy ma-crossover: parameter fast must be an integer, got \"2.5\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("ma-crossover", Map.of("fast", "2.5"))).getMessage());
    assertEquals(
        "strategy ma-crossover: parameter stop-loss must be a decimal number, got \"five\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("ma-crossover", Map.of("stop-loss", "five"))).getMessage());
    assertEquals(
        "strategy ma-crossover: parameter slow must be > fast (8), got \"8\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("ma-crossover", Map.of("fast", "8"))).getMessage());
    assertEquals(
        "strategy rsi-reversion: parameter overbought must be > oversold (30.0), got \"20.0\"",
        assertThrows(InvalidStrategyParameter.class, () -> Strategies.create("rsi-reversion", Map.of("overbought", "20"))).getMessage());
  }
}
