package io.pekkotrader.exchange.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultSpecTest {

  private static String rejection(String spec) {
    return assertThrows(IllegalArgumentException.class, () -> FaultSpec.parse(spec)).getMessage();
  }

  @Test
  void parsesEveryFaultOfTheGrammar() {
    FaultSpec spec = FaultSpec.parse("drop=2s,garbage=0.05,truncate=1%,stall=10s@30s,refuse=5s,latency=20ms,overlap=20");

    assertEquals(Duration.ofSeconds(2), spec.dropAfter());
    assertEquals(0.05, spec.garbage(), 1e-12);
    assertEquals(0.01, spec.truncate(), 1e-12);
    assertEquals(new FaultSpec.Window(Duration.ofSeconds(30), Duration.ofSeconds(10)), spec.stall());
    assertEquals(new FaultSpec.Window(Duration.ZERO, Duration.ofSeconds(5)), spec.refuse());
    assertEquals(Duration.ofMillis(20), spec.latency());
    assertEquals(20, spec.overlap());
  }

  @Test
  void writesACanonicalSpecThatParsesBackToTheSameFaults() {
    FaultSpec spec = FaultSpec.parse(" latency=20ms , drop=1m, garbage=5%, stall=1500ms@2s ");

    assertEquals("drop=1m,garbage=0.05,stall=1500ms@2s,latency=20ms", spec.toString());
    assertEquals(spec, FaultSpec.parse(spec.toString()));
  }

  @Test
  void readsAnEmptySpecAndNoneAsNoFaults() {
    assertEquals(FaultSpec.NONE, FaultSpec.parse(""));
    assertEquals(FaultSpec.NONE, FaultSpec.parse("none"));
    assertEquals(FaultSpec.NONE, FaultSpec.parse(null));
    assertEquals("none", FaultSpec.NONE.toString());
  }

  @Test
  void windowsCountFromTheMomentTheSpecIsApplied() {
    FaultSpec spec = FaultSpec.parse("stall=10s@30s,refuse=5s");
    long applied = 1_000_000;

    assertTrue(spec.refusingAt(applied, applied));
    assertTrue(spec.refusingAt(applied, applied + 4_999));
    assertFalse(spec.refusingAt(applied, applied + 5_000));
    assertFalse(spec.stalledAt(applied, applied + 29_999));
    assertTrue(spec.stalledAt(applied, applied + 30_000));
    assertFalse(spec.stalledAt(applied, applied + 40_000));
    assertFalse(FaultSpec.NONE.stalledAt(applied, applied));
  }

  @Test
  void namesAnUnknownFaultAndListsTheKnownOnes() {
    String message = rejection("drop=2s,dorp=3s");

    assertTrue(message.startsWith("fault \"dorp=3s\" is not a known fault; known: [drop, garbage,"), message);
  }

  @Test
  void namesAFractionOutOfRange() {
    assertEquals(
        "fault \"garbage=1.5\": garbage must be a fraction in [0, 1] or a percentage in [0%, 100%], such as 0.05 or 5%",
        rejection("garbage=1.5"));
    assertTrue(rejection("truncate=120%").startsWith("fault \"truncate=120%\""));
    assertTrue(rejection("truncate=lots").startsWith("fault \"truncate=lots\""));
  }

  @Test
  void namesADurationWithoutAUnitOrOfZero() {
    assertTrue(rejection("drop=2").contains("drop must be a duration > 0 such as 250ms, 2s or 1m"));
    assertTrue(rejection("latency=0ms").startsWith("fault \"latency=0ms\""));
    assertTrue(rejection("stall=10s@soon").contains("stall must be DURATION or DURATION@OFFSET"));
  }

  @Test
  void rejectsRepeatsMissingValuesEmptyItemsAndTooMuchCorruption() {
    assertTrue(rejection("drop=2s,drop=3s").contains("repeats drop"));
    assertTrue(rejection("drop=").contains("must be name=value"));
    assertTrue(rejection("drop=2s,,garbage=1%").contains("is empty"));
    assertTrue(rejection("overlap=-1").contains("overlap must be a whole number"));
    assertTrue(rejection("garbage=0.6,truncate=0.5").contains("garbage + truncate must not exceed 1"));
  }
}
