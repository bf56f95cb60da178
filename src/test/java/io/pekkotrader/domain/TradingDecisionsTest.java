package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.candlesClosingAt;
import static io.pekkotrader.domain.TestData.dec;
import static io.pekkotrader.domain.TestData.position;
import static io.pekkotrader.domain.TestData.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TradingDecisionsTest {
  private static final TradingDecisions.Params PARAMS =
      new TradingDecisions.Params(dec("1000"), dec("0.001"), 3_000);

  /** Signals a fixed action, needs three candles. */
  private static Strategy saying(Signal.Action action) {
    return new Strategy() {
      @Override
      public String name() {
        return "fixed";
      }

      @Override
      public int requiredCandles() {
        return 3;
      }

      @Override
      public BigDecimal stopPrice(BigDecimal entryPrice) {
        return entryPrice.multiply(new BigDecimal("0.99"));
      }

      @Override
      public Signal evaluate(List<Candle> candles, Position position) {
        return new Signal(action, "fixed " + action);
      }
    };
  }

  private static final List<Candle> THREE = candlesClosingAt("100", "101", "102");

  @Test
  void completesTheWarmUpOnceTheStrategyHasItsCandles() {
    SymbolState warming = SymbolState.initial(TestData.BTCUSDT);

    TradingDecisions.Step tooFew = TradingDecisions.next(warming, THREE.subList(0, 2), dec("102"), saying(Signal.Action.HOLD), PARAMS, 0);
    TradingDecisions.Step enough = TradingDecisions.next(warming, THREE, dec("102"), saying(Signal.Action.HOLD), PARAMS, 0);

    assertInstanceOf(TradingDecisions.Nothing.class, tooFew);
    assertEquals(new TradingDecisions.CompleteWarmUp(3), enough);
  }

  @Test
  void sizesAnEntryFromTheOrderNotionalRoundedDownToTheLotStep() {
    SymbolState ready = TestData.ready();

    TradingDecisions.Step step = TradingDecisions.next(ready, THREE, dec("103"), saying(Signal.Action.ENTER_LONG), PARAMS, 0);

    TradingDecisions.Enter enter = (TradingDecisions.Enter) step;
    assertEquals(Side.BUY, enter.side());
    assertEquals(0, dec("9.708").compareTo(enter.quantity()));
    assertEquals(dec("103"), enter.referencePrice());
  }

  @Test
  void doesNotEnterWhenTheNotionalBuysLessThanOneLot() {
    TradingDecisions.Params tiny = new TradingDecisions.Params(dec("0.0001"), dec("0.001"), 3_000);

    TradingDecisions.Step step =
        TradingDecisions.next(TestData.ready(), THREE, dec("103"), saying(Signal.Action.ENTER_LONG), tiny, 0);

    assertTrue(((TradingDecisions.Nothing) step).why().contains("less than one lot"));
  }

  @Test
  void waitsForTheStrategysCandlesAfterARestartBeforeEnteringAgain() {
    TradingDecisions.Step step =
        TradingDecisions.next(TestData.ready(), THREE.subList(0, 1), dec("100"), saying(Signal.Action.ENTER_LONG), PARAMS, 0);

    assertTrue(((TradingDecisions.Nothing) step).why().startsWith("warming up after restart"));
  }

  @Test
  void exitsTheWholePositionOnAnExitSignalEvenWhenHalted() {
    SymbolState holding = state(SymbolPhase.IN_POSITION, position("2.5", "100"), null);
    SymbolState halted = state(SymbolPhase.HALTED, position("2.5", "100"), null);

    TradingDecisions.Exit exit =
        (TradingDecisions.Exit) TradingDecisions.next(holding, THREE, dec("99"), saying(Signal.Action.EXIT), PARAMS, 0);
    TradingDecisions.Step haltedStep = TradingDecisions.next(halted, THREE, dec("99"), saying(Signal.Action.EXIT), PARAMS, 0);

    assertEquals(0, dec("2.5").compareTo(exit.quantity()));
    assertInstanceOf(TradingDecisions.Exit.class, haltedStep);
  }

  @Test
  void entersOnlyFromReadyOrWhileHaltedAndFlat() {
    for (SymbolPhase phase : SymbolPhase.values()) {
      if (phase == SymbolPhase.READY || phase == SymbolPhase.WARMING_UP || phase == SymbolPhase.HALTED) {
        continue;
      }
      SymbolState state = state(phase, Position.FLAT, null);

      TradingDecisions.Step step = TradingDecisions.next(state, THREE, dec("100"), saying(Signal.Action.ENTER_LONG), PARAMS, 10_000);

      assertTrue(!(step instanceof TradingDecisions.Enter), phase + " must not enter");
    }
  }

  @Test
  void aHaltedFlatSymbolStillProposesItsEntrySoRiskRejectsItOnTheRecord() {
    SymbolState halted = state(SymbolPhase.HALTED, Position.FLAT, null);

    TradingDecisions.Step step = TradingDecisions.next(halted, THREE, dec("100"), saying(Signal.Action.ENTER_LONG), PARAMS, 0);

    assertInstanceOf(TradingDecisions.Enter.class, step);
  }

  @Test
  void endsTheCooldownOnlyWhenItsTimeHasCome() {
    SymbolState cooling =
        new SymbolState(TestData.BTCUSDT, SymbolPhase.COOLDOWN, Position.FLAT, null, 2, 2, List.of(), 5_000, null, 0, List.of());

    assertInstanceOf(TradingDecisions.Nothing.class, TradingDecisions.next(cooling, THREE, dec("1"), saying(Signal.Action.HOLD), PARAMS, 4_999));
    assertInstanceOf(TradingDecisions.EndCooldown.class, TradingDecisions.next(cooling, THREE, dec("1"), saying(Signal.Action.HOLD), PARAMS, 5_000));
  }

  @Test
  void aDecisionIsNewsWhenItsWordsChangeNotWhenOnlyItsFiguresDo() {
    assertTrue(TradingDecisions.isNews(null, "no trade yet"));
    assertTrue(TradingDecisions.isNews("no crossover", "holding"));
    assertTrue(TradingDecisions.isNews("phase ENTRY_PENDING", "phase ENTRY_WORKING"));
    assertFalse(TradingDecisions.isNews("no crossover", "no crossover"));
    assertFalse(TradingDecisions.isNews("warming up: 3 of 9 candles", "warming up: 4 of 9 candles"));
    assertFalse(
        TradingDecisions.isNews("crossover ignored: volatility 0.000050 < 0.000100", "crossover ignored: volatility 0.000071 < 0.000100"));
  }

  @Test
  void comparesTextsWithoutFiguresAsTheRegularExpressionWould() {
    java.util.Random random = new java.util.Random(20261205);
    String alphabet = "0123456789..ab :";
    int equal = 0;
    for (int n = 0; n < 20_000; n++) {
      String a = randomText(random, alphabet);
      String b = random.nextInt(3) == 0 ? a.replace('7', '1').replace("3", "33") : randomText(random, alphabet);
      boolean expected = a.replaceAll("\\d+(\\.\\d+)?", "#").equals(b.replaceAll("\\d+(\\.\\d+)?", "#"));
      assertEquals(expected, TradingDecisions.sameWithoutFigures(a, b), () -> "'" + a + "' vs '" + b + "'");
      equal += expected ? 1 : 0;
    }
    assertTrue(equal > 1_000, "the generator makes equal pairs too: " + equal);
  }

  private static String randomText(java.util.Random random, String alphabet) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  @Test
  void doesNothingBeforeTheFirstTrade() {
    TradingDecisions.Step step = TradingDecisions.next(TestData.ready(), THREE, null, saying(Signal.Action.ENTER_LONG), PARAMS, 0);

    assertEquals(new TradingDecisions.Nothing("no trade yet"), step);
  }

  @Test
  void aPendingFlattenExitsTheWholePositionWhateverTheStrategySays() {
    SymbolState holding = TestData.inPosition("e-1", "0.5", "100").flattenRequested("emergency stop", false);

    TradingDecisions.Step step = TradingDecisions.next(holding, THREE, dec("90"), saying(Signal.Action.HOLD), PARAMS, 0);

    assertEquals(new TradingDecisions.Exit(dec("0.5"), dec("90"), "flatten: emergency stop"), step);
  }

  @Test
  void aFlattenBeforeAnyTradeExitsAtTheAveragePrice() {
    SymbolState holding = TestData.inPosition("e-1", "0.5", "100").flattenRequested("emergency stop", false);

    TradingDecisions.Step step = TradingDecisions.next(holding, List.of(), null, saying(Signal.Action.HOLD), PARAMS, 0);

    TradingDecisions.Exit exit = assertInstanceOf(TradingDecisions.Exit.class, step);
    assertEquals(0, dec("100").compareTo(exit.referencePrice()), exit.toString());
    assertEquals(0, dec("0.5").compareTo(exit.quantity()), exit.toString());
  }

  @Test
  void aFlattenWaitsForTheWorkingOrderAndProposesNoEntry() {
    SymbolState working =
        TestData.ready().intended(TestData.entryIntent("e-1", "0.5", "100")).approved("e-1").flattenRequested("stop", false);

    TradingDecisions.Step step = TradingDecisions.next(working, THREE, dec("100"), saying(Signal.Action.ENTER_LONG), PARAMS, 0);

    assertInstanceOf(TradingDecisions.Nothing.class, step);
    assertTrue(((TradingDecisions.Nothing) step).why().contains("e-1"), step.toString());
  }
}
