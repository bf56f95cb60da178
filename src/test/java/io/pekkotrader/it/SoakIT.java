package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2-minute soak ({@code scripts/soak.sh --minutes 2}): the engine against the simulator at
 * 5,000 frames/s over 100 symbols with drops and garbage, its heap, descriptors and threads flat,
 * no ERROR logged, the market data reconnected within budget. The 30-minute run and its table are
 * in docs/performance.md.
 */
class SoakIT {

  @Test
  void twoMinutesAtFiveThousandFramesASecondWithFaultsLeaveHeapDescriptorsAndThreadsFlat(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("soak.out");
    Process soak =
        new ProcessBuilder(
                List.of(
                    "bash", "scripts/soak.sh", "--minutes", "2", "--interval", "15", "--warmup", "20",
                    "--jar", EngineProcess.jar().toString(), "--keep", tmp.resolve("run").toString()))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();

    boolean ended = soak.waitFor(6, TimeUnit.MINUTES);
    if (!ended) {
      soak.destroy();
      soak.waitFor(40, TimeUnit.SECONDS);
    }
    String report = Files.readString(out, StandardCharsets.UTF_8);

    assertTrue(ended, "the soak ends by itself:\n" + report);
    assertTrue(report.contains("| minute | live heap (MiB) |"), "the soak prints its table:\n" + report);
    assertTrue(report.strip().endsWith("SOAK PASS"), "the soak passes:\n" + report);
    assertEquals(0, soak.exitValue(), report);
  }
}
