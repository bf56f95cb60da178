package io.pekkotrader.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates a recovered {@link SymbolState} and says how to repair it. The repair never invents
 * facts: fills and positions recorded in the journal stay; only the phase and a stale order
 * are corrected, and the repair itself is persisted by the caller as an audited event.
 */
public final class RecoveryCheck {

  /** One broken invariant. */
  public record Violation(String code, String detail) {}

  /** What to persist: the violations found, the phase to set and whether to drop the order. */
  public record Repair(List<Violation> violations, SymbolPhase phase, boolean dropOrder) {}

  private RecoveryCheck() {}

  public static List<Violation> violations(SymbolState state) {
    List<Violation> found = new ArrayList<>();
    SymbolPhase phase = state.phase();
    boolean flat = state.position().isFlat();
    for (String anomaly : state.anomalies()) {
      found.add(new Violation("REJECTED_TRANSITION", anomaly));
    }
    if (state.position().quantity().signum() < 0) {
      found.add(new Violation("NEGATIVE_QUANTITY", "position quantity " + state.position().quantity().toPlainString()));
    }
    if (SymbolPhase.HOLDING.contains(phase) && flat) {
      found.add(new Violation("POSITION_WITHOUT_QUANTITY", phase + " with zero quantity"));
    }
    if ((SymbolPhase.FLAT.contains(phase) || phase == SymbolPhase.ENTRY_PENDING) && !flat) {
      found.add(
          new Violation(
              "QUANTITY_IN_FLAT_PHASE", phase + " with quantity " + state.position().quantity().toPlainString()));
    }
    if (SymbolPhase.WORKING.contains(phase) && !state.hasOrder()) {
      found.add(new Violation("WORKING_PHASE_WITHOUT_ORDER", phase + " with no intent or order"));
    }
    if (!SymbolPhase.WORKING.contains(phase) && state.hasOrder()) {
      found.add(
          new Violation("STALE_OPEN_ORDER", "order " + state.order().clientOrderId() + " left open in phase " + phase));
    }
    return found;
  }

  /** The repair for the state's violations, or {@code null} when it is consistent. */
  public static Repair repair(SymbolState state) {
    List<Violation> found = violations(state);
    if (found.isEmpty()) {
      return null;
    }
    if (state.position().quantity().signum() < 0) {
      return new Repair(found, SymbolPhase.ERROR, true);
    }
    boolean flat = state.position().isFlat();
    SymbolPhase phase = state.phase();
    boolean orderFitsPhase = state.hasOrder() && SymbolPhase.WORKING.contains(phase) && orderMatchesPosition(state);
    if (orderFitsPhase) {
      return new Repair(found, phase, false);
    }
    if (phase == SymbolPhase.HALTED || phase == SymbolPhase.PAUSED && flat) {
      return new Repair(found, phase, true);
    }
    return new Repair(found, flat ? SymbolPhase.READY : SymbolPhase.IN_POSITION, true);
  }

  /** An entry order may exist while flat or partly filled; an exit order needs a position. */
  private static boolean orderMatchesPosition(SymbolState state) {
    IntentKind kind = state.order().intent().kind();
    return kind == IntentKind.ENTRY
        ? state.phase() != SymbolPhase.EXIT_WORKING && (state.phase() == SymbolPhase.ENTRY_WORKING || state.position().isFlat())
        : state.phase() == SymbolPhase.EXIT_WORKING && !state.position().isFlat();
  }
}
