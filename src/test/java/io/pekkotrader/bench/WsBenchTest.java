package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench ws} at a rate any machine sustains: every trade of the window arrives and is measured. */
class WsBenchTest {

  @Test
  void deliversEveryTradeOfTheWindowAtAModestRateAndMeasuresEachOne() throws Exception {
    List<String> progress = new ArrayList<>();

    WsBench.Result result = WsBench.run(new WsBench.Config(2_000, 10, Duration.ofSeconds(3), Duration.ofSeconds(3)), progress::add);

    assertEquals(6_000, result.offered(), "2 000 trades/s due in 3 s");
    assertEquals(0, result.drops(), () -> "drops: " + result);
    assertEquals(result.offered(), result.delivered(), () -> "" + result);
    assertEquals(0, result.malformed());
    assertEquals(result.delivered(), result.fromSchedule().count(), "every delivered trade has a latency");
    assertTrue(result.fromSchedule().p50() >= result.fromGeneration().p50(),
        () -> "no trade is due after it was generated, so latency from the schedule is the larger: " + result);
    assertTrue(result.sustainedRate() > 1_900, () -> "" + result);
    assertTrue(!progress.isEmpty());
  }

  @Test
  void measuresAgainstThePacedFeedInItsOwnProcess() throws Exception {
    WsBench.Result result =
        WsBench.run(new WsBench.Config(2_000, 10, Duration.ofSeconds(2), Duration.ofSeconds(3), WsBench.Feed.PROCESS), line -> {});

    assertEquals(6_000, result.offered());
    assertEquals(0, result.drops(), () -> "drops: " + result);
    assertEquals(result.offered(), result.delivered(), () -> "" + result);
    assertEquals(result.delivered(), result.fromSchedule().count());
    assertTrue(result.fromSchedule().p50() >= result.fromGeneration().p50(), () -> "" + result);
    assertTrue(result.offeredRate() > 1_900, () -> "the feed kept its schedule in the window: " + result);
  }

  @Test
  void measuresAgainstThePacedFeedInTheSameProcess() throws Exception {
    WsBench.Result result =
        WsBench.run(new WsBench.Config(2_000, 10, Duration.ofSeconds(2), Duration.ofSeconds(3), WsBench.Feed.PACED), line -> {});

    assertEquals(0, result.drops(), () -> "drops: " + result);
    assertEquals(result.offered(), result.delivered(), () -> "" + result);
    assertEquals(0, result.malformed());
  }

  @Test
  void rejectsARateTheSymbolsDoNotDivide() {
    assertThrows(IllegalArgumentException.class, () -> new WsBench.Config(1_001, 10, Duration.ZERO, Duration.ofSeconds(1)));
  }
}
