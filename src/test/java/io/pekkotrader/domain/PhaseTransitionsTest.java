package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.PhaseTransitions.Transition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PhaseTransitionsTest {

  /** The table of docs/symbol-trader.md, written out by hand; every pair not listed is rejected. */
  private static final String EXPECTED = """
      WARMING_UP:    WARM_UP_COMPLETED->READY OPERATOR_PAUSED->PAUSED KILL_SWITCH_ENGAGED->HALTED FAULT_DETECTED->ERROR
      READY:         ENTRY_INTENDED->ENTRY_PENDING OPERATOR_PAUSED->PAUSED KILL_SWITCH_ENGAGED->HALTED FAULT_DETECTED->ERROR
      ENTRY_PENDING: ENTRY_APPROVED->ENTRY_WORKING ENTRY_REJECTED->READY FAULT_DETECTED->ERROR
      ENTRY_WORKING: PARTIALLY_FILLED->ENTRY_WORKING ENTRY_FILLED->IN_POSITION ENTRY_ENDED_UNFILLED->READY FAULT_DETECTED->ERROR
      IN_POSITION:   EXIT_INTENDED->EXIT_WORKING KILL_SWITCH_ENGAGED->HALTED FAULT_DETECTED->ERROR
      EXIT_WORKING:  PARTIALLY_FILLED->EXIT_WORKING EXIT_FILLED->COOLDOWN EXIT_ENDED_WITH_POSITION->IN_POSITION FAULT_DETECTED->ERROR
      COOLDOWN:      COOLDOWN_ELAPSED->READY OPERATOR_PAUSED->PAUSED KILL_SWITCH_ENGAGED->HALTED FAULT_DETECTED->ERROR
      PAUSED:        OPERATOR_RESUMED->READY KILL_SWITCH_ENGAGED->HALTED FAULT_DETECTED->ERROR
      HALTED:        ENTRY_INTENDED->ENTRY_PENDING EXIT_INTENDED->EXIT_WORKING RELEASED_FLAT->READY RELEASED_IN_POSITION->IN_POSITION FAULT_DETECTED->ERROR
      ERROR:         RECONCILED_FLAT->READY RECONCILED_IN_POSITION->IN_POSITION
      """;

  private static Map<SymbolPhase, Map<PhaseTrigger, SymbolPhase>> expectedMatrix() {
    Map<SymbolPhase, Map<PhaseTrigger, SymbolPhase>> matrix = new EnumMap<>(SymbolPhase.class);
    for (String line : EXPECTED.strip().split("\n")) {
      String[] phaseAndPairs = line.split(":", 2);
      SymbolPhase phase = SymbolPhase.valueOf(phaseAndPairs[0].strip());
      Map<PhaseTrigger, SymbolPhase> row = new EnumMap<>(PhaseTrigger.class);
      for (String pair : phaseAndPairs[1].strip().split("\\s+")) {
        String[] triggerAndNext = pair.split("->");
        row.put(PhaseTrigger.valueOf(triggerAndNext[0]), SymbolPhase.valueOf(triggerAndNext[1]));
      }
      assertEquals(null, matrix.put(phase, row), "phase listed twice in the expected matrix: " + phase);
    }
    assertEquals(SymbolPhase.values().length, matrix.size(), "the expected matrix must list every phase");
    return matrix;
  }

  @Test
  void decidesEveryPhaseAndTriggerPairAsTheWrittenOutMatrixSays() {
    Map<SymbolPhase, Map<PhaseTrigger, SymbolPhase>> matrix = expectedMatrix();
    List<Executable> checks = new ArrayList<>();

    for (SymbolPhase phase : SymbolPhase.values()) {
      for (PhaseTrigger trigger : PhaseTrigger.values()) {
        Transition outcome = PhaseTransitions.apply(phase, trigger);
        SymbolPhase expectedNext = matrix.get(phase).get(trigger);
        String pair = phase + " + " + trigger;
        if (expectedNext != null) {
          checks.add(() -> assertEquals(new Transition.Allowed(expectedNext), outcome, pair));
        } else {
          checks.add(() -> {
            Transition.Rejected rejected = assertInstanceOf(Transition.Rejected.class, outcome, pair);
            assertFalse(rejected.reason().isBlank(), pair);
            assertTrue(rejected.reason().contains(trigger.name()), pair + ": " + rejected.reason());
            assertTrue(rejected.reason().contains(phase.name()), pair + ": " + rejected.reason());
          });
        }
        checks.add(() -> assertEquals(expectedNext != null, PhaseTransitions.allows(phase, trigger), pair));
      }
    }

    assertEquals(2 * 10 * 19, checks.size());
    assertAll(checks);
  }

  @Test
  void allowsThirtySixTransitionsAndRejectsTheOtherOneHundredFiftyFour() {
    int allowed = 0;
    int rejected = 0;

    for (SymbolPhase phase : SymbolPhase.values()) {
      for (PhaseTrigger trigger : PhaseTrigger.values()) {
        Transition outcome = PhaseTransitions.apply(phase, trigger);
        assertNotNull(outcome, phase + " + " + trigger);
        if (outcome instanceof Transition.Allowed) {
          allowed++;
        } else if (outcome instanceof Transition.Rejected) {
          rejected++;
        }
      }
    }

    assertEquals(10, SymbolPhase.values().length);
    assertEquals(19, PhaseTrigger.values().length);
    assertEquals(36, allowed);
    assertEquals(154, rejected);
  }

  @Test
  void leavesErrorOnlyThroughReconciliation() {
    List<PhaseTrigger> exits = new ArrayList<>();

    for (PhaseTrigger trigger : PhaseTrigger.values()) {
      if (PhaseTransitions.apply(SymbolPhase.ERROR, trigger) instanceof Transition.Allowed allowed
          && allowed.next() != SymbolPhase.ERROR) {
        exits.add(trigger);
      }
    }

    assertEquals(List.of(PhaseTrigger.RECONCILED_FLAT, PhaseTrigger.RECONCILED_IN_POSITION), exits);
  }

  @Test
  void letsAHaltedSymbolExitAndProposeEntriesThatRiskWillRejectButNeverLeaveWithoutARelease() {
    Transition exit = PhaseTransitions.apply(SymbolPhase.HALTED, PhaseTrigger.EXIT_INTENDED);
    Transition entry = PhaseTransitions.apply(SymbolPhase.HALTED, PhaseTrigger.ENTRY_INTENDED);

    assertEquals(new Transition.Allowed(SymbolPhase.EXIT_WORKING), exit);
    assertEquals(new Transition.Allowed(SymbolPhase.ENTRY_PENDING), entry);
    assertInstanceOf(Transition.Rejected.class, PhaseTransitions.apply(SymbolPhase.HALTED, PhaseTrigger.WARM_UP_COMPLETED));
    assertInstanceOf(Transition.Rejected.class, PhaseTransitions.apply(SymbolPhase.HALTED, PhaseTrigger.OPERATOR_RESUMED));
  }
}
