package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.streams.venue.BinanceDialect;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benches decide with the engine's configured settings, not numbers of their own. */
class EngineDecisionSettingsTest {
  @Test
  void takesCandlesStrategyAndSizingFromTheConfiguration() {
    Settings settings =
        Settings.from(
            Settings.loadConfig(
                Map.of(
                    "pekko-trader.trading.candle-interval", "250ms",
                    "pekko-trader.trading.candle-history", "50",
                    "pekko-trader.trading.cooldown", "7s",
                    "pekko-trader.trading.order-notional", "123",
                    "pekko-trader.strategies.ma-crossover.fast", "4",
                    "pekko-trader.strategies.ma-crossover.slow", "9"),
                Map.of(),
                null));

    EngineDecisionSettings engine = EngineDecisionSettings.of(settings);

    assertEquals(250, engine.intervalMs());
    assertEquals(50, engine.history());
    assertEquals(7_000, engine.decisions().cooldownMs());
    assertEquals(0, new BigDecimal("123").compareTo(engine.decisions().orderNotional()));
    assertEquals(settings.symbols().get(0).lotStep(), engine.decisions().lotStep());
    assertEquals(4, engine.strategy().fast());
    assertEquals(9, engine.strategy().slow());
  }

  @Test
  void theShippedOnesAreTheEngineDefaults() {
    Settings shipped = Settings.shipped();

    EngineDecisionSettings engine = EngineDecisionSettings.shipped();

    assertEquals(shipped.trading().candleInterval().toMillis(), engine.intervalMs());
    assertEquals(shipped.trading().candleHistory(), engine.history());
    assertEquals(shipped.maCrossover(), engine.strategy());
    assertEquals(shipped.trading().cooldown().toMillis(), engine.decisions().cooldownMs());
  }

  @Test
  void thePipelineClosesCandlesAtTheConfiguredInterval() {
    Settings settings =
        Settings.from(Settings.loadConfig(Map.of("pekko-trader.trading.candle-interval", "500ms"), Map.of(), null));
    EngineDecisionSettings engine = EngineDecisionSettings.of(settings);
    List<String> symbols = RecordedShapeFrames.symbols(1);
    // frames generated over 1 s candles: at 500 ms candles the pipeline closes about twice as many
    String[] frames = RecordedShapeFrames.generate(symbols, 2_000, 1_000, 1);
    DecisionPipeline atOneSecond = new DecisionPipeline(new BinanceDialect(), symbols, EngineDecisionSettings.shipped());
    DecisionPipeline atHalfASecond = new DecisionPipeline(new BinanceDialect(), symbols, engine);

    for (String frame : frames) {
      byte[] utf8 = frame.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      atOneSecond.onFrame(utf8);
      atHalfASecond.onFrame(utf8);
    }

    assertEquals(2 * atOneSecond.counts().decisions(), atHalfASecond.counts().decisions(), 2);
  }
}
