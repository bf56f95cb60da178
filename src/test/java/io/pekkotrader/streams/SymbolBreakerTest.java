package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.streams.SymbolBreaker.Admission;
import io.pekkotrader.streams.SymbolBreaker.Change;
import io.pekkotrader.streams.SymbolBreaker.Event;
import io.pekkotrader.streams.SymbolBreaker.Phase;
import io.pekkotrader.streams.SymbolBreaker.Settings;
import io.pekkotrader.streams.SymbolBreaker.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SymbolBreakerTest {
  private static final Settings SETTINGS = new Settings(Duration.ofMillis(100), Duration.ofMillis(700), 2.0);
  private static final long NOW = 10_000;

  private static SymbolBreaker closed() {
    return SymbolBreaker.closed(SETTINGS);
  }

  private static SymbolBreaker open() {
    return allowed(closed().on(Event.FAILED, NOW)).next();
  }

  private static SymbolBreaker halfOpen() {
    return allowed(open().on(Event.COOL_OFF_ELAPSED, NOW + 100)).next();
  }

  private static Transition.Allowed allowed(Transition transition) {
    return assertInstanceOf(Transition.Allowed.class, transition);
  }

  private static SymbolBreaker in(Phase phase) {
    switch (phase) {
      case CLOSED:
        return closed();
      case OPEN:
        return open();
      default:
        return halfOpen();
    }
  }

  /** Every (phase, event) pair, applied once the cool-off is over: the whole table. */
  @Test
  void walksTheWholeTableEveryPairIsATransitionOrARejection() {
    Map<Phase, Map<Event, String>> expected = new EnumMap<>(Phase.class);
    expected.put(Phase.CLOSED, Map.of(Event.ACKNOWLEDGED, "CLOSED/NONE", Event.FAILED, "OPEN/OPENED", Event.COOL_OFF_ELAPSED, "rejected"));
    expected.put(Phase.OPEN, Map.of(Event.ACKNOWLEDGED, "rejected", Event.FAILED, "rejected", Event.COOL_OFF_ELAPSED, "HALF_OPEN/PROBING"));
    expected.put(Phase.HALF_OPEN, Map.of(Event.ACKNOWLEDGED, "CLOSED/RECOVERED", Event.FAILED, "OPEN/REOPENED", Event.COOL_OFF_ELAPSED, "rejected"));
    List<String> mismatches = new ArrayList<>();

    for (Phase phase : Phase.values()) {
      for (Event event : Event.values()) {
        Transition t = in(phase).on(event, NOW + 1_000);
        String actual =
            t instanceof Transition.Allowed a ? a.next().phase() + "/" + a.change() : "rejected";
        if (!actual.equals(expected.get(phase).get(event))) {
          mismatches.add(phase + " + " + event + ": " + actual + ", expected " + expected.get(phase).get(event));
        }
      }
    }

    assertEquals(List.of(), mismatches);
  }

  @Test
  void rejectionsChangeNothingAndSayWhy() {
    for (Phase phase : Phase.values()) {
      for (Event event : Event.values()) {
        SymbolBreaker before = in(phase);
        Transition t = before.on(event, NOW + 1_000);
        if (t instanceof Transition.Rejected r) {
          assertTrue(r.reason().startsWith(phase.name().toLowerCase().replace('_', '-')), r.reason());
          assertEquals(in(phase), before, "a breaker is immutable");
        }
      }
    }
  }

  @Test
  void closedDeliversEveryTradeAndStaysClosedOnAcknowledgement() {
    SymbolBreaker closed = closed();

    Transition.Allowed ack = allowed(closed.on(Event.ACKNOWLEDGED, NOW));

    assertEquals(Admission.DELIVER, closed.admit(NOW));
    assertSame(closed, ack.next());
    assertEquals(Change.NONE, ack.change());
  }

  @Test
  void opensOnTheFirstFailureAndShedsUntilTheCoolOffIsOver() {
    SymbolBreaker open = open();

    assertEquals(Phase.OPEN, open.phase());
    assertEquals(NOW + 100, open.probeAtMs());
    assertEquals(Admission.SHED, open.admit(NOW));
    assertEquals(Admission.SHED, open.admit(NOW + 99));
    assertEquals(Admission.PROBE, open.admit(NOW + 100));
    assertEquals(Admission.PROBE, open.admit(NOW + 5_000));
  }

  @Test
  void refusesToProbeBeforeTheCoolOffIsOver() {
    Transition early = open().on(Event.COOL_OFF_ELAPSED, NOW + 99);

    assertInstanceOf(Transition.Rejected.class, early);
  }

  @Test
  void halfOpenShedsEverythingWhileItsOneProbeIsOut() {
    SymbolBreaker halfOpen = halfOpen();

    assertEquals(Phase.HALF_OPEN, halfOpen.phase());
    assertEquals(Admission.SHED, halfOpen.admit(NOW + 100));
    assertEquals(Admission.SHED, halfOpen.admit(NOW + 100_000));
  }

  @Test
  void anAcknowledgedProbeClosesTheBreakerAndResetsTheCoolOff() {
    SymbolBreaker reopened = allowed(halfOpen().on(Event.FAILED, NOW + 200)).next();
    SymbolBreaker probing = allowed(reopened.on(Event.COOL_OFF_ELAPSED, reopened.probeAtMs())).next();

    Transition.Allowed recovered = allowed(probing.on(Event.ACKNOWLEDGED, reopened.probeAtMs() + 5));

    assertEquals(Change.RECOVERED, recovered.change());
    assertEquals(closed(), recovered.next());
    assertEquals(100, allowed(recovered.next().on(Event.FAILED, NOW + 1_000)).next().coolOffMs(), "the next opening starts small again");
  }

  @Test
  void everyFailedProbeReopensWithALongerCoolOffUpToTheCap() {
    SymbolBreaker breaker = open();
    List<Long> coolOffs = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    long now = NOW;
    coolOffs.add(breaker.coolOffMs());

    for (int i = 0; i < 5; i++) {
      now = breaker.probeAtMs();
      breaker = allowed(breaker.on(Event.COOL_OFF_ELAPSED, now)).next();
      now += 30;
      Transition.Allowed failed = allowed(breaker.on(Event.FAILED, now));
      changes.add(failed.change());
      breaker = failed.next();
      coolOffs.add(breaker.coolOffMs());
      assertEquals(now + breaker.coolOffMs(), breaker.probeAtMs(), "the cool-off counts from the failure");
    }

    assertEquals(List.of(100L, 200L, 400L, 700L, 700L, 700L), coolOffs);
    assertEquals(List.of(Change.REOPENED, Change.REOPENED, Change.REOPENED, Change.REOPENED, Change.REOPENED), changes);
  }

  @Test
  void aMultiplierOfOneKeepsTheCoolOffConstant() {
    Settings flat = new Settings(Duration.ofMillis(50), Duration.ofMillis(50), 1.0);
    SymbolBreaker open = allowed(SymbolBreaker.closed(flat).on(Event.FAILED, 0)).next();
    SymbolBreaker halfOpen = allowed(open.on(Event.COOL_OFF_ELAPSED, 50)).next();

    SymbolBreaker reopened = allowed(halfOpen.on(Event.FAILED, 60)).next();

    assertEquals(50, reopened.coolOffMs());
    assertEquals(110, reopened.probeAtMs());
    assertTrue(open.probeAtMs() > 0, "open at time 0 still has a probe time");
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ZERO, Duration.ofSeconds(1), 2));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new SymbolBreaker(Phase.OPEN, 100, 0, SETTINGS));
    assertThrows(IllegalArgumentException.class, () -> new SymbolBreaker(Phase.CLOSED, 100, 5, SETTINGS));
  }
}
