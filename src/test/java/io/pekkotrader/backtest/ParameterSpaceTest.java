package io.pekkotrader.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.strategy.Strategies;
import io.pekkotrader.strategy.StrategyDescriptor;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterSpaceTest {
  private static final StrategyDescriptor MA = Strategies.descriptor("ma-crossover");

  private static String refused(String... specs) {
    return assertThrows(IllegalArgumentException.class, () -> ParameterSpace.parse(MA, List.of(specs))).getMessage();
  }

  @Test
  void integerAndDecimalRangesListEveryStepUpToTheEnd() {
    ParameterSpace space = ParameterSpace.parse(MA, List.of("fast=5..30:5", "stop-loss=0.01..0.035:0.01", "slow=50"));

    assertEquals(List.of(5, 10, 15, 20, 25, 30), space.axes().get(0).values().stream().map(BigDecimal::intValueExact).toList());
    assertEquals(List.of("0.01", "0.02", "0.03"), space.axes().get(1).values().stream().map(BigDecimal::toPlainString).toList());
    assertEquals(List.of("50"), space.axes().get(2).values().stream().map(BigDecimal::toPlainString).toList());
    assertEquals(18, space.size());
    assertEquals(List.of("fast", "stop-loss"), space.ranged().stream().map(ParameterSpace.Axis::name).toList());
  }

  @Test
  void gridPointsCountWithTheFirstAxisSlowest() {
    ParameterSpace space = ParameterSpace.parse(MA, List.of("fast=1..2", "slow=10..30:10"));

    assertEquals(Map.of("fast", "1", "slow", "10"), space.point(0));
    assertEquals(Map.of("fast", "1", "slow", "30"), space.point(2));
    assertEquals(Map.of("fast", "2", "slow", "10"), space.point(3));
    assertEquals(List.of("fast", "slow"), List.copyOf(space.point(5).keySet()));
    assertThrows(IndexOutOfBoundsException.class, () -> space.point(6));
  }

  @Test
  void badSpecsAreRefusedNamingWhatIsWrong() {
    assertTrue(refused().contains("at least one --param"));
    assertTrue(refused("fast").contains("is not NAME=LO..HI:STEP"));
    assertTrue(refused("speed=1..5").contains("speed is not a parameter of ma-crossover"));
    assertTrue(refused("fast=a..5").contains("'a' is not a number"));
    assertTrue(refused("fast=10..5").contains("the range is empty"));
    assertTrue(refused("fast=1..5:0").contains("the step must be > 0"));
    assertTrue(refused("fast=1..5:-1").contains("the step must be > 0"));
    assertTrue(refused("fast=1..5:0.5").contains("its step must be one too"));
    assertTrue(refused("stop-loss=0.01..0.05").contains("a decimal range needs a step"));
    assertTrue(refused("fast=0..5").contains("must be in 1..1000"), refused("fast=0..5"));
    assertTrue(refused("stop-loss=0.5..1:0.1").contains("must be in (0, 1)"));
    assertTrue(refused("fast=1..2", "fast=3").contains("fast is given twice"));
  }

  @Test
  void moreThanAHundredThousandCombinationsAreRefused() {
    assertTrue(refused("fast=1..1000", "slow=2..1000").contains("more than 100000 combinations"));
    assertTrue(refused("take-profit=0.000001..1:0.000001").contains("more than 100000 values"));
    assertEquals(99_900, ParameterSpace.parse(MA, List.of("fast=1..100", "slow=2..1000")).size());
  }
}
