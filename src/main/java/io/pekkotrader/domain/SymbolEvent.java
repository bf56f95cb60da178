package io.pekkotrader.domain;

import java.util.List;

/**
 * What {@link SymbolKernel} decided happened to one symbol, in the domain's own terms: one record
 * per event the symbol's journal holds, with the same name and fields. The actor maps each to its
 * journaled event one to one; {@link #applyTo} is the same {@link SymbolState} method the actor's
 * event handler calls, so the kernel can compute the state after its own events.
 */
public sealed interface SymbolEvent {

  /** The state after this event: the {@link SymbolState} method the event handler calls. */
  SymbolState applyTo(SymbolState state);

  /** The state after {@code events}, in order. */
  static SymbolState applyAll(SymbolState state, List<SymbolEvent> events) {
    SymbolState next = state;
    for (SymbolEvent event : events) {
      next = event.applyTo(next);
    }
    return next;
  }

  /** The strategy has enough candles at {@code atMs}: WARMING_UP → READY. */
  record WarmUpCompleted(int candles, long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.warmUpCompleted();
    }
  }

  /** The strategy asked to enter; persisted before any order. */
  record EntryIntended(OrderIntent intent) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.intended(intent);
    }
  }

  /** The strategy (or a stop, or an operator) asked to close the position. */
  record ExitIntended(OrderIntent intent) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.intended(intent);
    }
  }

  /** Risk approved the working intent; the order is sent once this is persisted. */
  record IntentApproved(String clientOrderId, String decisionId, long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.approved(clientOrderId);
    }
  }

  /** Risk rejected the working intent, for {@code reasonCode}. */
  record IntentRejected(String clientOrderId, String reasonCode, String message, long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.rejected(clientOrderId);
    }
  }

  /** The venue acknowledged the order. */
  record OrderAccepted(String clientOrderId, String venueOrderId, long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.accepted(clientOrderId, venueOrderId);
    }
  }

  /** One fill of the working order. */
  record FillRecorded(Fill fill) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.filled(fill);
    }
  }

  /** The working order is final; {@code cooldownUntilMs} applies when it closed the position. */
  record OrderEnded(String clientOrderId, OrderStatus status, String reason, long cooldownUntilMs, long atMs)
      implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.ended(clientOrderId, cooldownUntilMs);
    }
  }

  /** Portfolio applied the fill {@code tradeId}. */
  record FillConfirmed(String tradeId, long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.fillConfirmed(tradeId);
    }
  }

  /** The kill switch is engaged: → HALTED. */
  record Halted(String reason, long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.halted();
    }
  }

  /** The kill switch was released: HALTED → READY or IN_POSITION. */
  record Released(long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.released();
    }
  }

  /** The cooldown after an exit is over. */
  record CooldownElapsed(long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.cooldownElapsed();
    }
  }

  /** The symbol was paused (by an operator, or after a flatten). */
  record Paused(long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.paused();
    }
  }

  /** An operator resumed the symbol. */
  record Resumed(long atMs) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.resumed();
    }
  }

  /** An operator asked for the symbol to be flattened ({@code thenPause}: pause once flat). */
  record FlattenRequested(String reason, long atMs, boolean thenPause) implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.flattenRequested(reason, thenPause);
    }
  }

  /** Recovery found broken invariants and repaired them (see {@link RecoveryCheck}). */
  record StateCorrected(
      List<RecoveryCheck.Violation> violations, SymbolPhase from, SymbolPhase to, String droppedOrder, long atMs)
      implements SymbolEvent {
    public SymbolState applyTo(SymbolState state) {
      return state.corrected(to, droppedOrder != null);
    }
  }
}
