package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.strategy.InvalidStrategyParameter;
import io.pekkotrader.strategy.MovingAverageCrossover;
import io.pekkotrader.strategy.RsiReversion;
import io.pekkotrader.streams.venue.BinanceDialect;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benches decide with the engine's configured settings, not numbers of their own. */
class EngineDecisionSettingsTest {
  private static final SymbolId SYMBOL = new SymbolId("binance", "S0001USDT");

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
    assertEquals(MovingAverageCrossover.NAME, engine.strategy());
    MovingAverageCrossover.Params crossover = ((MovingAverageCrossover) engine.listing(SYMBOL).strategy()).params();
    assertEquals(4, crossover.fast());
    assertEquals(9, crossover.slow());
  }

  @Test
  void runsTheStrategyTheFirstSymbolNamesWithItsConfiguredParameters() {
    Settings settings =
        Settings.from(
            ConfigFactory.parseString(
                    "pekko-trader.symbols = [ { venue = \"binance\", symbol = \"BTCUSDT\", strategy = \"rsi-reversion\","
                        + " lot-step = \"0.00001\", start-price = \"60000\" } ]\n"
                        + "pekko-trader.strategies.rsi-reversion.period = 5\n")
                .withFallback(Settings.shippedConfig()));

    EngineDecisionSettings engine = EngineDecisionSettings.of(settings);
    TradingKernel.Listing listing = engine.listing(SYMBOL);

    assertEquals("rsi-reversion", engine.strategy());
    assertEquals(settings.strategyParams("rsi-reversion"), engine.strategyParams());
    assertInstanceOf(RsiReversion.class, listing.strategy());
    assertEquals(6, listing.strategy().requiredCandles(), "the configured period 5, + 1");
    assertNotSame(listing.strategy(), engine.listing(new SymbolId("binance", "S0002USDT")).strategy(), "a strategy per symbol");
  }

  @Test
  void aStrategyThatCannotBeBuiltIsRefusedAtOnce() {
    EngineDecisionSettings shipped = EngineDecisionSettings.shipped();

    assertThrows(
        IllegalArgumentException.class,
        () -> new EngineDecisionSettings(
            shipped.intervalMs(), shipped.history(), "moon-shot", Map.of(), shipped.decisions(), shipped.paper(), shipped.risk(),
            shipped.quoteAsset(), shipped.startingCash(), shipped.precision()));
    assertThrows(
        InvalidStrategyParameter.class,
        () -> new EngineDecisionSettings(
            shipped.intervalMs(), shipped.history(), MovingAverageCrossover.NAME, Map.of("fast", "0"), shipped.decisions(),
            shipped.paper(), shipped.risk(), shipped.quoteAsset(), shipped.startingCash(), shipped.precision()));
  }

  @Test
  void theShippedOnesAreTheEngineDefaults() {
    Settings shipped = Settings.shipped();

    EngineDecisionSettings engine = EngineDecisionSettings.shipped();

    assertEquals(shipped.trading().candleInterval().toMillis(), engine.intervalMs());
    assertEquals(shipped.trading().candleHistory(), engine.history());
    assertEquals(shipped.symbols().get(0).strategy(), engine.strategy());
    assertEquals(MovingAverageCrossover.NAME, engine.strategy());
    assertEquals(shipped.strategyParams(MovingAverageCrossover.NAME), engine.strategyParams());
    assertEquals(
        ((MovingAverageCrossover) shipped.strategy(MovingAverageCrossover.NAME)).params(),
        ((MovingAverageCrossover) engine.newStrategy()).params());
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

  @Test
  void theKernelEntersExitsAndFillsOnATapeThatTrades() {
    EngineDecisionSettings engine = EngineDecisionSettings.shipped();
    List<String> symbols = RecordedShapeFrames.symbols(5);
    String[] frames = RecordedShapeFrames.generate(symbols, 20_000, engine.intervalMs(), 3);
    DecisionPipeline pipeline = new DecisionPipeline(new BinanceDialect(), symbols, engine);

    for (String frame : frames) {
      pipeline.onFrame(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    TradingKernel.Counts counts = pipeline.counts();
    assertEquals(frames.length, counts.trades(), counts.toString());
    assertTrue(counts.entries() > 0 && counts.exits() > 0, counts::toString);
    // risk decides every intent, and each approved order is filled (one fill each as shipped)
    assertEquals(counts.entries() + counts.exits(), counts.approved() + counts.rejected(), counts::toString);
    assertTrue(counts.approved() > 0, counts::toString);
    assertEquals(counts.approved(), counts.fills(), counts::toString);
    assertEquals(counts.fills(), pipeline.kernel().fills().size());
  }
}
