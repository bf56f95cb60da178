package io.pekkotrader.domain;

import java.util.EnumSet;
import java.util.Set;

/** The lifecycle phase of one traded symbol. See {@link PhaseTransitions} for the table. */
public enum SymbolPhase {
  /** Collecting candles until the strategy has enough history. */
  WARMING_UP,
  /** Flat and allowed to act on an entry signal. */
  READY,
  /** An entry intent is persisted and waits for RiskManager's decision. */
  ENTRY_PENDING,
  /** An approved entry order is at the venue. */
  ENTRY_WORKING,
  /** Holding a position; waiting for an exit signal or stop. */
  IN_POSITION,
  /** An exit order is at the venue. */
  EXIT_WORKING,
  /** Flat after an exit; entries wait until the cooldown elapses. */
  COOLDOWN,
  /** Stopped by an operator; no entries until resumed. */
  PAUSED,
  /** Kill switch engaged: exits only. */
  HALTED,
  /** State or venue disagreement; leaves only by reconciliation. */
  ERROR;

  /** Phases in which the symbol must hold no position and no order. */
  public static final Set<SymbolPhase> FLAT = EnumSet.of(WARMING_UP, READY, COOLDOWN, PAUSED);

  /** Phases that must have an intent or order in flight. */
  public static final Set<SymbolPhase> WORKING = EnumSet.of(ENTRY_PENDING, ENTRY_WORKING, EXIT_WORKING);

  /** Phases that must hold a non-zero position. */
  public static final Set<SymbolPhase> HOLDING = EnumSet.of(IN_POSITION, EXIT_WORKING);
}
