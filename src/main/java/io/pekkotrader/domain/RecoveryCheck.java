package io.pekkotrader.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates a recovered {@link SymbolState} and says how to repair it. The repair never invents
 * facts: fills and positions recorded in the journal stay; only the phase and a stale order are
 * corrected, and the repair itself is persisted by the caller as an audited event. A repair keeps
 * the phase whenever the phase is still valid for the position and order held (so a warm-up or a
 * cooldown is not skipped); HALTED and ERROR are never left by a repair.
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
    if (phase == SymbolPhase.IN_POSITION && flat || phase == SymbolPhase.EXIT_WORKING && flat && !orderFitsPhase(state)) {
      found.add(new Violation("POSITION_WITHOUT_QUANTITY", phase + " with zero quantity"));
    }
    if ((SymbolPhase.FLAT.contains(phase) || phase == SymbolPhase.ENTRY_PENDING) && !flat) {
      found.add(
          new Violation(
              "QUANTITY_IN_FLAT_PHASE", phase + " with quantity " + state.position().quantity().toPlainString()));
    }
    if (SymbolPhase.WORKING.contains(phase) && !state.hasOrder()) {
      found.add(new Violation("WORKING_PHASE_WITHOUT_ORDER", phase + " with no intent or order"));
    } else if (SymbolPhase.WORKING.contains(phase) && !kindFitsPhase(state)) {
      found.add(
          new Violation(
              "WORKING_PHASE_WITHOUT_ORDER",
              phase + " with " + state.order().intent().kind() + " order " + state.order().clientOrderId()));
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
    SymbolPhase phase = state.phase();
    if (orderFitsPhase(state)) {
      return new Repair(found, phase, false);
    }
    boolean flat = state.position().isFlat();
    SymbolPhase repaired;
    if (phase == SymbolPhase.HALTED || phase == SymbolPhase.ERROR) {
      repaired = phase;
    } else if (SymbolPhase.FLAT.contains(phase)) {
      repaired = flat ? phase : SymbolPhase.IN_POSITION;
    } else {
      repaired = flat ? SymbolPhase.READY : SymbolPhase.IN_POSITION;
    }
    return new Repair(found, repaired, state.hasOrder());
  }

  /**
   * A working phase with an order of its kind: an entry intent while flat (ENTRY_PENDING), an
   * entry order (ENTRY_WORKING), or an exit order that still has a position or is fully filled and
   * only waits for its end (EXIT_WORKING, a normal place for a crash).
   */
  private static boolean orderFitsPhase(SymbolState state) {
    if (!state.hasOrder() || !kindFitsPhase(state)) {
      return false;
    }
    return switch (state.phase()) {
      case ENTRY_PENDING -> state.position().isFlat() && !state.order().approved();
      case ENTRY_WORKING -> true;
      case EXIT_WORKING -> !state.position().isFlat() || state.order().isFullyFilled();
      default -> false;
    };
  }

  private static boolean kindFitsPhase(SymbolState state) {
    IntentKind kind = state.order().intent().kind();
    return state.phase() == SymbolPhase.EXIT_WORKING ? kind == IntentKind.EXIT : kind == IntentKind.ENTRY;
  }
}
