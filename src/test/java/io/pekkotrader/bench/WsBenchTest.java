package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.engine.Settings;
import io.pekkotrader.streams.WebSocketTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench ws} runs and accounts for every trade of its window: each one is delivered and
 * measured, or counted as a drop; and every delivered trade goes through the engine's trading
 * kernel, which closes candles, enters and fills. Rates, drops under load and latencies are what
 * the bench reports ({@code bench ws}, docs/performance.md), not what a test on a shared machine
 * asserts.
 */
class WsBenchTest {
  /**
   * 100 ms candles: at 20 trades a second per symbol (200/s over 10 symbols) each symbol closes
   * about 30 candles in a run, enough to warm the crossover up (9 candles) and trade.
   */
  private static final EngineDecisionSettings FAST_CANDLES =
      EngineDecisionSettings.of(Settings.from(Settings.loadConfig(Map.of("pekko-trader.trading.candle-interval", "100ms"), Map.of(), null)));

  @Test
  void accountsForEveryTradeOfTheWindowAndMeasuresEachDeliveredOne() throws Exception {
    List<String> progress = new ArrayList<>();

    WsBench.Result result = WsBench.run(config(WsBench.Feed.SIMULATOR), progress::add);

    assertAccountsForTheWindow(result, 400);
    assertTrue(result.fromSchedule().p50() >= result.fromGeneration().p50(),
        () -> "no trade is due after it was generated, so latency from the schedule is the larger: " + result);
    assertTrue(!progress.isEmpty(), "the run reports its progress");
  }

  @Test
  void measuresAgainstThePacedFeedInItsOwnProcess() throws Exception {
    WsBench.Result result = WsBench.run(config(WsBench.Feed.PROCESS), line -> {});

    assertAccountsForTheWindow(result, 400);
  }

  @Test
  void measuresAgainstThePacedFeedInTheSameProcess() throws Exception {
    WsBench.Result result = WsBench.run(config(WsBench.Feed.PACED), line -> {});

    assertAccountsForTheWindow(result, 400);
  }

  @Test
  void decidesWithTheShippedConfigurationUnlessGivenOther() {
    WsBench.Config config = new WsBench.Config(200, 10, Duration.ofSeconds(1), Duration.ofSeconds(2));

    assertEquals(EngineDecisionSettings.shipped(), config.engine());
  }

  @Test
  void rejectsARateTheSymbolsDoNotDivide() {
    assertThrows(IllegalArgumentException.class, () -> new WsBench.Config(1_001, 10, Duration.ZERO, Duration.ofSeconds(1)));
  }

  private static WsBench.Config config(WsBench.Feed feed) {
    return new WsBench.Config(200, 10, Duration.ofSeconds(1), Duration.ofSeconds(2), feed, WebSocketTransport.Kind.DEFAULT, FAST_CANDLES);
  }

  private static void assertAccountsForTheWindow(WsBench.Result result, long due) {
    assertEquals(due, result.offered(), "rate × window trades are due");
    assertTrue(result.delivered() > 0, () -> "trades reached the decision step: " + result);
    assertTrue(result.delivered() + result.drops() <= result.offered(), () -> "each trade is delivered or dropped, once: " + result);
    assertEquals(0, result.malformed(), () -> "" + result);
    assertEquals(result.delivered(), result.fromSchedule().count(), "every delivered trade has a latency");
    assertEquals(result.delivered(), result.fromGeneration().count());
    assertTheKernelTraded(result);
  }

  /** The decision step is the whole trading kernel: candles close, the strategy enters, risk approves, the paper venue fills. */
  private static void assertTheKernelTraded(WsBench.Result result) {
    TradingKernel.Counts kernel = result.kernel();
    assertEquals(0, result.late(), () -> "one feed over one connection sends its trades in time order: " + result);
    // the kernel steps the warm-up's trades too, so at least every delivered trade of the window
    assertTrue(kernel.trades() >= result.delivered(), () -> "every delivered trade was stepped: " + result);
    assertTrue(kernel.decisions() > 0, () -> "candles closed and the strategy ran: " + result);
    assertTrue(result.candleClose().count() > 0, () -> "trades of the window closed candles: " + result);
    assertTrue(result.candleClose().count() <= kernel.decisions(), () -> "a trade that closed a candle is one decision: " + result);
    assertTrue(kernel.entries() > 0, () -> "the strategy entered: " + result);
    assertEquals(kernel.entries() + kernel.exits(), kernel.approved() + kernel.rejected(), () -> "every intent was decided: " + result);
    assertTrue(kernel.fills() > 0, () -> "the paper venue filled: " + result);
    assertEquals(kernel.approved(), kernel.fills(), () -> "each approved order filled, once as shipped: " + result);
  }
}
