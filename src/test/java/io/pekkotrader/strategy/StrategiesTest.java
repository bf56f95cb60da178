package io.pekkotrader.strategy;

import static io.pekkotrader.domain.TestData.dec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Strategy;
import org.junit.jupiter.api.Test;

class StrategiesTest {
  private static final MovingAverageCrossover.Params PARAMS =
      new MovingAverageCrossover.Params(2, 4, 4, 0.01, dec("0.05"), dec("0.1"));

  @Test
  void createsAStrategyByItsName() {
    Strategy strategy = Strategies.create("ma-crossover", PARAMS);

    assertInstanceOf(MovingAverageCrossover.class, strategy);
    assertEquals("ma-crossover", strategy.name());
    assertTrue(Strategies.exists("ma-crossover"));
    assertTrue(Strategies.names().contains("ma-crossover"));
  }

  @Test
  void rejectsAnUnknownNameListingTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Strategies.create("rsi-magic", PARAMS));

    assertEquals("unknown strategy 'rsi-magic', known: [ma-crossover]", error.getMessage());
    assertFalse(Strategies.exists("rsi-magic"));
  }
}
