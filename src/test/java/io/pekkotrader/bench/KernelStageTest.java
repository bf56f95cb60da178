package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench ws}'s decision stage: the trading kernel, stepped as a feed delivers, late trades counted. */
class KernelStageTest {
  private static final long T0 = 1_700_000_000_000L;

  private final KernelStage stage = new KernelStage("binance", List.of("AUSDT", "BUSDT"), EngineDecisionSettings.shipped());

  private static Trade trade(long id, long timeMs) {
    return new Trade(Long.toString(id), timeMs, new BigDecimal("100.00"), new BigDecimal("0.500"), Side.BUY);
  }

  @Test
  void stepsEachTradeAndSaysWhichClosedACandle() {
    assertFalse(stage.onTrade("AUSDT", trade(1, T0)));
    assertFalse(stage.onTrade("AUSDT", trade(2, T0 + 400)));
    assertFalse(stage.onTrade("BUSDT", trade(1, T0 + 500)));

    assertTrue(stage.onTrade("AUSDT", trade(3, T0 + 1_000)), "the 1 s candle of AUSDT closed");

    assertEquals(4, stage.counts().trades());
    // the candle clock's tick at the boundary closes both symbols' candles
    assertEquals(2, stage.counts().decisions());
    assertEquals(0, stage.late());
  }

  @Test
  void aTradeOlderThanTheKernelsTimeIsCountedNotSteppedAndTheStageGoesOn() {
    stage.onTrade("AUSDT", trade(1, T0 + 1_000));

    assertFalse(stage.onTrade("BUSDT", trade(1, T0 + 999)));

    assertEquals(1, stage.late());
    assertEquals(1, stage.counts().trades(), "the late trade was not stepped");
    assertEquals(T0 + 1_000, stage.kernel().nowMs(), "the kernel's time did not go back");
    stage.onTrade("BUSDT", trade(2, T0 + 1_000));
    assertEquals(2, stage.counts().trades(), "a trade at the kernel's time is stepped");
    assertEquals(1, stage.late());
  }

  @Test
  void aSymbolNotTradedHereIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stage.onTrade("CUSDT", trade(1, T0)));

    assertEquals("CUSDT is not traded here", e.getMessage());
    assertEquals(0, stage.counts().trades());
  }

  @Test
  void theWarmUpRunsTheWholeDecisionPathOnAThrowawayKernel() {
    io.pekkotrader.domain.TradingKernel.Counts warmed =
        KernelStage.warmUp("binance", List.of("AUSDT", "BUSDT", "CUSDT"), EngineDecisionSettings.shipped(), 200);

    assertEquals(200L * 3 * KernelStage.WARM_UP_TRADES_PER_CANDLE, warmed.trades(), "every synthetic trade was stepped");
    // every symbol's candle closes at each boundary of the data clock (the first candle is partial)
    assertTrue(warmed.decisions() >= 199L * 3, () -> "candles closed and the strategy ran: " + warmed);
    assertTrue(warmed.entries() > 0 && warmed.fills() > 0, () -> "the strategy entered and the paper venue filled: " + warmed);
    assertEquals(0, stage.counts().trades(), "a stage of its own is untouched");
  }
}
