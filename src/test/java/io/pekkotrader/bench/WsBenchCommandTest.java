package io.pekkotrader.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.TradingKernel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench ws}'s table and JSON show what the trading kernel did, so a reader sees the whole kernel ran. */
class WsBenchCommandTest {
  private static final MachineInfo MACHINE = new MachineInfo(2, "test cpu", "test jvm", List.of("G1"), 1024, 1.5);

  private static WsBench.Result result(long late) {
    WsBench.Latency latency = new WsBench.Latency(900, 100_000, 200_000, 300_000, 400_000, 500_000);
    return new WsBench.Result(
        new WsBench.Config(1_000, 10, Duration.ofSeconds(1), Duration.ofSeconds(1)),
        1_000, 900, 1_000, 900, 100, 1, 0, latency, latency, latency, new WsBench.Engine(4_000, 0.5, 1, 2),
        new TradingKernel.Counts(2_345, 67, 8, 6, 13, 1, 13), late);
  }

  @Test
  void theTableGivesTheKernelsCounts() {
    String table = WsBenchCommand.table(result(3), MACHINE, 1.7);

    assertTrue(table.contains("decision stage: the trading kernel, strategy ma-crossover on 1000 ms candles"), table);
    assertTrue(
        table.contains("kernel           2,345 trades stepped (whole run): 67 decisions, 8 entries, 6 exits, 13 approved, 1 rejected,"
            + " 13 fills; 3 older than the kernel's time, not stepped"),
        table);
  }

  @Test
  void theJsonGivesTheKernelsCountsAndTheLateTrades() {
    Map<String, Object> json = WsBenchCommand.toJson(result(0), MACHINE, 1.7);

    assertEquals(new TradingKernel.Counts(2_345, 67, 8, 6, 13, 1, 13), json.get("kernel"));
    assertEquals(0L, json.get("late"));
    assertEquals("ma-crossover", ((Map<?, ?>) json.get("config")).get("strategy"));
  }
}
