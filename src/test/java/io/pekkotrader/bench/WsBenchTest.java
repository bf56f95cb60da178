package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench ws} runs and accounts for every trade of its window: each one is delivered and
 * measured, or counted as a drop. Rates, drops under load and latencies are what the bench reports
 * ({@code bench ws}, docs/performance.md), not what a test on a shared machine asserts.
 */
class WsBenchTest {

  @Test
  void accountsForEveryTradeOfTheWindowAndMeasuresEachDeliveredOne() throws Exception {
    List<String> progress = new ArrayList<>();

    WsBench.Result result = WsBench.run(new WsBench.Config(200, 10, Duration.ofSeconds(1), Duration.ofSeconds(2)), progress::add);

    assertAccountsForTheWindow(result, 400);
    assertTrue(result.fromSchedule().p50() >= result.fromGeneration().p50(),
        () -> "no trade is due after it was generated, so latency from the schedule is the larger: " + result);
    assertTrue(!progress.isEmpty(), "the run reports its progress");
  }

  @Test
  void measuresAgainstThePacedFeedInItsOwnProcess() throws Exception {
    WsBench.Result result =
        WsBench.run(new WsBench.Config(200, 10, Duration.ofSeconds(1), Duration.ofSeconds(2), WsBench.Feed.PROCESS), line -> {});

    assertAccountsForTheWindow(result, 400);
  }

  @Test
  void measuresAgainstThePacedFeedInTheSameProcess() throws Exception {
    WsBench.Result result =
        WsBench.run(new WsBench.Config(200, 10, Duration.ofSeconds(1), Duration.ofSeconds(2), WsBench.Feed.PACED), line -> {});

    assertAccountsForTheWindow(result, 400);
  }

  @Test
  void rejectsARateTheSymbolsDoNotDivide() {
    assertThrows(IllegalArgumentException.class, () -> new WsBench.Config(1_001, 10, Duration.ZERO, Duration.ofSeconds(1)));
  }

  private static void assertAccountsForTheWindow(WsBench.Result result, long due) {
    assertEquals(due, result.offered(), "rate × window trades are due");
    assertTrue(result.delivered() > 0, () -> "trades reached the decision step: " + result);
    assertTrue(result.delivered() + result.drops() <= result.offered(), () -> "each trade is delivered or dropped, once: " + result);
    assertEquals(0, result.malformed(), () -> "" + result);
    assertEquals(result.delivered(), result.fromSchedule().count(), "every delivered trade has a latency");
    assertEquals(result.delivered(), result.fromGeneration().count());
  }
}
