package io.pekkotrader.domain;

import static io.pekkotrader.domain.PhaseTrigger.*;
import static io.pekkotrader.domain.SymbolPhase.*;

import java.util.EnumMap;
import java.util.Map;

/**
 * The complete transition table of {@link SymbolPhase}: every (phase, trigger) pair is either
 * a {@link Transition.Allowed} to a next phase or a {@link Transition.Rejected} with a reason.
 * Nothing outside this class decides a phase change.
 */
public final class PhaseTransitions {

  /** The outcome of applying a trigger in a phase. */
  public sealed interface Transition {
    /** The trigger moves the symbol to {@code next}. */
    record Allowed(SymbolPhase next) implements Transition {}

    /** The trigger is not allowed in that phase; nothing changes. */
    record Rejected(String reason) implements Transition {}
  }

  private static final Map<SymbolPhase, Map<PhaseTrigger, SymbolPhase>> ALLOWED = new EnumMap<>(SymbolPhase.class);

  static {
    allow(WARMING_UP, WARM_UP_COMPLETED, READY);
    allow(WARMING_UP, OPERATOR_PAUSED, SymbolPhase.PAUSED);
    allow(WARMING_UP, KILL_SWITCH_ENGAGED, HALTED);

    allow(READY, ENTRY_INTENDED, ENTRY_PENDING);
    allow(READY, OPERATOR_PAUSED, SymbolPhase.PAUSED);
    allow(READY, KILL_SWITCH_ENGAGED, HALTED);

    allow(ENTRY_PENDING, ENTRY_APPROVED, ENTRY_WORKING);
    allow(ENTRY_PENDING, ENTRY_REJECTED, READY);

    allow(ENTRY_WORKING, PARTIALLY_FILLED, ENTRY_WORKING);
    allow(ENTRY_WORKING, ENTRY_FILLED, IN_POSITION);
    allow(ENTRY_WORKING, ENTRY_ENDED_UNFILLED, READY);

    allow(IN_POSITION, EXIT_INTENDED, EXIT_WORKING);
    allow(IN_POSITION, KILL_SWITCH_ENGAGED, HALTED);

    allow(EXIT_WORKING, PARTIALLY_FILLED, EXIT_WORKING);
    allow(EXIT_WORKING, EXIT_FILLED, COOLDOWN);
    allow(EXIT_WORKING, EXIT_ENDED_WITH_POSITION, IN_POSITION);

    allow(COOLDOWN, COOLDOWN_ELAPSED, READY);
    allow(COOLDOWN, OPERATOR_PAUSED, SymbolPhase.PAUSED);
    allow(COOLDOWN, KILL_SWITCH_ENGAGED, HALTED);

    allow(SymbolPhase.PAUSED, OPERATOR_RESUMED, READY);
    allow(SymbolPhase.PAUSED, KILL_SWITCH_ENGAGED, HALTED);

    // a halted symbol still proposes entries: risk rejects them with kill_switch, for the audit trail
    allow(HALTED, ENTRY_INTENDED, ENTRY_PENDING);
    allow(HALTED, EXIT_INTENDED, EXIT_WORKING);
    allow(HALTED, RELEASED_FLAT, READY);
    allow(HALTED, RELEASED_IN_POSITION, IN_POSITION);

    allow(ERROR, RECONCILED_FLAT, READY);
    allow(ERROR, RECONCILED_IN_POSITION, IN_POSITION);

    for (SymbolPhase phase : SymbolPhase.values()) {
      if (phase != ERROR) {
        allow(phase, FAULT_DETECTED, ERROR);
      }
    }
  }

  private PhaseTransitions() {}

  private static void allow(SymbolPhase from, PhaseTrigger trigger, SymbolPhase to) {
    SymbolPhase previous = ALLOWED.computeIfAbsent(from, p -> new EnumMap<>(PhaseTrigger.class)).put(trigger, to);
    if (previous != null) {
      throw new IllegalStateException("transition defined twice: " + from + " + " + trigger);
    }
  }

  /** The outcome of {@code trigger} in {@code phase}. Total: never throws, never null. */
  public static Transition apply(SymbolPhase phase, PhaseTrigger trigger) {
    SymbolPhase next = ALLOWED.getOrDefault(phase, Map.of()).get(trigger);
    if (next != null) {
      return new Transition.Allowed(next);
    }
    return new Transition.Rejected(trigger + " is not allowed in phase " + phase);
  }

  /** Whether {@code trigger} is a defined transition in {@code phase}. */
  public static boolean allows(SymbolPhase phase, PhaseTrigger trigger) {
    return apply(phase, trigger) instanceof Transition.Allowed;
  }
}
