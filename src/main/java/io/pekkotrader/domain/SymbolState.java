package io.pekkotrader.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The persisted state of one traded symbol. Immutable; every method returns the state after one
 * event, and phase changes go through {@link PhaseTransitions} only. An event whose transition
 * the table rejects (possible only in a corrupt journal) does not throw and changes nothing but
 * the list of anomalies, for {@link RecoveryCheck} to repair. The one exception is a fill: it is
 * a fact reported by the venue, so the position follows it even when the phase cannot.
 *
 * @param symbol the instrument
 * @param phase the lifecycle phase
 * @param position quantity and average price held
 * @param order the intent or order in flight, or {@code null}
 * @param intents intents created so far (entries and exits)
 * @param fills fills applied so far
 * @param unconfirmedFills fills persisted here that Portfolio has not yet confirmed
 * @param cooldownUntilMs end of the cooldown after the last exit, epoch millis (0 = none)
 * @param lastSignal the last strategy signal acted on, in words
 * @param corrections recovery corrections applied so far
 * @param anomalies events replayed against the table's rules, since the last correction
 * @param flattenReason why an operator asked to flatten the symbol (emergency stop), or {@code
 *     null}; it stays until the symbol is flat and no order is working, so a flatten survives
 *     restarts and orders that end with a position left
 * @param pauseWhenFlat an operator asked to flatten the symbol and then pause it: it pauses as
 *     soon as it is flat with no order working and its phase allows a pause (then this clears)
 */
public record SymbolState(
    SymbolId symbol,
    SymbolPhase phase,
    Position position,
    WorkingOrder order,
    long intents,
    long fills,
    List<Fill> unconfirmedFills,
    long cooldownUntilMs,
    String lastSignal,
    long corrections,
    List<String> anomalies,
    String flattenReason,
    boolean pauseWhenFlat) {

  public SymbolState {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(position, "position");
    unconfirmedFills = List.copyOf(unconfirmedFills);
    anomalies = List.copyOf(anomalies);
  }

  /** A state with no flatten requested. */
  public SymbolState(
      SymbolId symbol,
      SymbolPhase phase,
      Position position,
      WorkingOrder order,
      long intents,
      long fills,
      List<Fill> unconfirmedFills,
      long cooldownUntilMs,
      String lastSignal,
      long corrections,
      List<String> anomalies) {
    this(symbol, phase, position, order, intents, fills, unconfirmedFills, cooldownUntilMs, lastSignal, corrections, anomalies, null, false);
  }

  public static SymbolState initial(SymbolId symbol) {
    return new SymbolState(symbol, SymbolPhase.WARMING_UP, Position.FLAT, null, 0, 0, List.of(), 0, null, 0, List.of());
  }

  /** Whether an operator's pause after a flatten can be carried out now: flat, no order working. */
  public boolean pauseDue() {
    return pauseWhenFlat && order == null && position.isFlat();
  }

  /** Whether an operator's flatten is still to be carried out. */
  public boolean flattenPending() {
    return flattenReason != null;
  }

  public boolean hasOrder() {
    return order != null;
  }

  /** Whether the given trade id was already applied to the working order. */
  public boolean hasApplied(String tradeId) {
    return order != null && order.hasApplied(tradeId);
  }

  public boolean isWorking(String clientOrderId) {
    return order != null && order.clientOrderId().equals(clientOrderId);
  }

  // ---- one method per event -------------------------------------------------------------

  public SymbolState warmUpCompleted() {
    return transition(PhaseTrigger.WARM_UP_COMPLETED);
  }

  public SymbolState intended(OrderIntent intent) {
    PhaseTrigger trigger = intent.kind() == IntentKind.ENTRY ? PhaseTrigger.ENTRY_INTENDED : PhaseTrigger.EXIT_INTENDED;
    return guarded(trigger, intent.clientOrderId(), () -> with(WorkingOrder.of(intent), intents + 1, intent.reason()));
  }

  public SymbolState approved(String clientOrderId) {
    if (!isWorking(clientOrderId)) {
      return anomaly("approval for " + clientOrderId + " which is not the working intent");
    }
    if (order.intent().kind() == IntentKind.EXIT) {
      return with(order.approve(), intents, lastSignal);
    }
    return guarded(PhaseTrigger.ENTRY_APPROVED, clientOrderId, () -> with(order.approve(), intents, lastSignal));
  }

  public SymbolState rejected(String clientOrderId) {
    if (!isWorking(clientOrderId)) {
      return anomaly("rejection for " + clientOrderId + " which is not the working intent");
    }
    PhaseTrigger trigger =
        order.intent().kind() == IntentKind.ENTRY ? PhaseTrigger.ENTRY_REJECTED : PhaseTrigger.EXIT_ENDED_WITH_POSITION;
    return guarded(trigger, clientOrderId, () -> with(null, intents, lastSignal));
  }

  public SymbolState accepted(String clientOrderId, String venueOrderId) {
    if (!isWorking(clientOrderId)) {
      return anomaly("acknowledgement for " + clientOrderId + " which is not the working order");
    }
    return with(order.accepted(venueOrderId), intents, lastSignal);
  }

  public SymbolState filled(Fill fill) {
    if (!isWorking(fill.clientOrderId())) {
      return anomaly("fill " + fill.tradeId() + " for " + fill.clientOrderId() + " which is not the working order");
    }
    if (order.hasApplied(fill.tradeId())) {
      return this;
    }
    List<Fill> unconfirmed = new ArrayList<>(unconfirmedFills);
    unconfirmed.add(fill);
    SymbolState next =
        new SymbolState(
            symbol,
            phase,
            position.apply(fill.side(), fill.quantity(), fill.price()),
            order.withFill(fill),
            intents,
            fills + 1,
            unconfirmed,
            cooldownUntilMs,
            lastSignal,
            corrections,
            anomalies,
            flattenReason, pauseWhenFlat);
    return next.transition(PhaseTrigger.PARTIALLY_FILLED);
  }

  /** The working order is final; the phase follows from its kind and the position left. */
  public SymbolState ended(String clientOrderId, long cooldownUntilMs) {
    if (!isWorking(clientOrderId)) {
      return anomaly("end of " + clientOrderId + " which is not the working order");
    }
    IntentKind kind = order.intent().kind();
    PhaseTrigger trigger;
    if (kind == IntentKind.ENTRY) {
      trigger = position.isFlat() ? PhaseTrigger.ENTRY_ENDED_UNFILLED : PhaseTrigger.ENTRY_FILLED;
    } else {
      trigger = position.isFlat() ? PhaseTrigger.EXIT_FILLED : PhaseTrigger.EXIT_ENDED_WITH_POSITION;
    }
    long cooldown = trigger == PhaseTrigger.EXIT_FILLED ? cooldownUntilMs : this.cooldownUntilMs;
    return guarded(
        trigger,
        clientOrderId,
        () ->
            new SymbolState(
                symbol,
                phase,
                position,
                null,
                intents,
                fills,
                unconfirmedFills,
                cooldown,
                lastSignal,
                corrections,
                anomalies,
                position.isFlat() ? null : flattenReason, pauseWhenFlat));
  }

  public SymbolState fillConfirmed(String tradeId) {
    List<Fill> unconfirmed = new ArrayList<>(unconfirmedFills);
    unconfirmed.removeIf(f -> f.tradeId().equals(tradeId));
    return new SymbolState(
        symbol, phase, position, order, intents, fills, unconfirmed, cooldownUntilMs, lastSignal, corrections, anomalies, flattenReason, pauseWhenFlat);
  }

  /** The kill switch is engaged: entries will be rejected, exits still go. */
  public SymbolState halted() {
    return transition(PhaseTrigger.KILL_SWITCH_ENGAGED);
  }

  /** The kill switch was released: back to READY, or IN_POSITION when holding. */
  public SymbolState released() {
    return transition(position.isFlat() ? PhaseTrigger.RELEASED_FLAT : PhaseTrigger.RELEASED_IN_POSITION);
  }

  /** An operator paused the symbol (by hand, or after a flatten): no entries until resumed. */
  public SymbolState paused() {
    SymbolState next = transition(PhaseTrigger.OPERATOR_PAUSED);
    return new SymbolState(
        symbol, next.phase, position, order, intents, fills, unconfirmedFills, cooldownUntilMs, lastSignal, corrections, next.anomalies,
        flattenReason, false);
  }

  /** An operator resumed a paused symbol. */
  public SymbolState resumed() {
    return transition(PhaseTrigger.OPERATOR_RESUMED);
  }

  /**
   * An operator asked to flatten the symbol (emergency stop, or one symbol's flatten). The reason
   * is remembered only while there is something to flatten: a position or an order; {@code
   * thenPause} (one symbol's flatten) is remembered until the symbol pauses.
   */
  public SymbolState flattenRequested(String reason, boolean thenPause) {
    String flatten = position.isFlat() && order == null ? flattenReason : reason;
    return new SymbolState(
        symbol, phase, position, order, intents, fills, unconfirmedFills, cooldownUntilMs, lastSignal, corrections, anomalies, flatten,
        pauseWhenFlat || thenPause);
  }

  public SymbolState cooldownElapsed() {
    return transition(PhaseTrigger.COOLDOWN_ELAPSED);
  }

  /** A recovery repair: the phase set by {@link RecoveryCheck}, the order kept or dropped. */
  public SymbolState corrected(SymbolPhase repairedPhase, boolean dropOrder) {
    return new SymbolState(
        symbol,
        repairedPhase,
        position,
        dropOrder ? null : order,
        intents,
        fills,
        unconfirmedFills,
        cooldownUntilMs,
        lastSignal,
        corrections + 1,
        List.of(),
        flattenReason, pauseWhenFlat);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private SymbolState with(WorkingOrder newOrder, long newIntents, String signal) {
    String flatten = newOrder == null && position.isFlat() ? null : flattenReason;
    return new SymbolState(
        symbol, phase, position, newOrder, newIntents, fills, unconfirmedFills, cooldownUntilMs, signal, corrections, anomalies, flatten, pauseWhenFlat);
  }

  /**
   * Applies {@code change} and moves the phase by {@code trigger} only when the table allows it;
   * otherwise nothing changes but the recorded anomaly.
   */
  private SymbolState guarded(PhaseTrigger trigger, String clientOrderId, java.util.function.Supplier<SymbolState> change) {
    if (!PhaseTransitions.allows(phase, trigger)) {
      return anomaly(trigger + " of " + clientOrderId + " is not allowed in phase " + phase);
    }
    return change.get().transition(trigger);
  }

  private SymbolState transition(PhaseTrigger trigger) {
    PhaseTransitions.Transition outcome = PhaseTransitions.apply(phase, trigger);
    if (outcome instanceof PhaseTransitions.Transition.Allowed allowed) {
      return withPhase(allowed.next());
    }
    return anomaly(((PhaseTransitions.Transition.Rejected) outcome).reason());
  }

  private SymbolState withPhase(SymbolPhase next) {
    return new SymbolState(
        symbol, next, position, order, intents, fills, unconfirmedFills, cooldownUntilMs, lastSignal, corrections, anomalies, flattenReason, pauseWhenFlat);
  }

  private SymbolState anomaly(String what) {
    List<String> all = new ArrayList<>(anomalies);
    all.add(what);
    return new SymbolState(
        symbol, phase, position, order, intents, fills, unconfirmedFills, cooldownUntilMs, lastSignal, corrections, all, flattenReason, pauseWhenFlat);
  }
}
