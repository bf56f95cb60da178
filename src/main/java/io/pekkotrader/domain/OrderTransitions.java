package io.pekkotrader.domain;

import static io.pekkotrader.domain.OrderState.*;
import static io.pekkotrader.domain.OrderTrigger.*;

import java.util.EnumMap;
import java.util.Map;

/**
 * The complete transition table of {@link OrderState}: every (state, trigger) pair is either a
 * {@link Transition.Allowed} to a next state or a {@link Transition.Rejected} with a reason.
 * Nothing outside this class decides an order's state. See {@code docs/symbol-trader.md}.
 *
 * <p>Reading the table: an acknowledgement that arrives after fills (a reconciliation applied them
 * first) changes nothing; "filled" from the venue while fills are missing is rejected, so the
 * symbol asks the venue for them before it ends the order; a venue that has no record of an order
 * it never acknowledged did not place it (rejected), of one it had acknowledged will fill no more
 * of it (cancelled). Final states take no trigger.
 */
public final class OrderTransitions {

  /** The outcome of applying a trigger in a state. */
  public sealed interface Transition {
    /** The trigger moves the order to {@code next}. */
    record Allowed(OrderState next) implements Transition {}

    /** The trigger is not allowed in that state; nothing changes. */
    record Rejected(String reason) implements Transition {}
  }

  private static final Map<OrderState, Map<OrderTrigger, OrderState>> ALLOWED = new EnumMap<>(OrderState.class);

  static {
    allow(NEW, SENT, UNKNOWN);

    allow(UNKNOWN, ACKNOWLEDGED, ACCEPTED);
    allow(UNKNOWN, FILLED_IN_PART, PARTIALLY_FILLED);
    allow(UNKNOWN, FILLED_IN_FULL, FILLED);
    allow(UNKNOWN, ENDED_CANCELED, CANCELED);
    allow(UNKNOWN, ENDED_REJECTED, REJECTED);
    allow(UNKNOWN, ENDED_EXPIRED, EXPIRED);
    allow(UNKNOWN, ENDED_NOT_FOUND, REJECTED);

    allow(ACCEPTED, ACKNOWLEDGED, ACCEPTED);
    allow(ACCEPTED, FILLED_IN_PART, PARTIALLY_FILLED);
    allow(ACCEPTED, FILLED_IN_FULL, FILLED);
    allow(ACCEPTED, ENDED_CANCELED, CANCELED);
    allow(ACCEPTED, ENDED_EXPIRED, EXPIRED);
    allow(ACCEPTED, ENDED_NOT_FOUND, CANCELED);

    allow(PARTIALLY_FILLED, ACKNOWLEDGED, PARTIALLY_FILLED);
    allow(PARTIALLY_FILLED, FILLED_IN_PART, PARTIALLY_FILLED);
    allow(PARTIALLY_FILLED, FILLED_IN_FULL, FILLED);
    allow(PARTIALLY_FILLED, ENDED_CANCELED, CANCELED);
    allow(PARTIALLY_FILLED, ENDED_EXPIRED, EXPIRED);
    allow(PARTIALLY_FILLED, ENDED_NOT_FOUND, CANCELED);

    allow(FILLED, ACKNOWLEDGED, FILLED);
    allow(FILLED, ENDED_FILLED, FILLED);
  }

  private OrderTransitions() {}

  private static void allow(OrderState from, OrderTrigger trigger, OrderState to) {
    OrderState previous = ALLOWED.computeIfAbsent(from, s -> new EnumMap<>(OrderTrigger.class)).put(trigger, to);
    if (previous != null) {
      throw new IllegalStateException("transition defined twice: " + from + " + " + trigger);
    }
  }

  /** The outcome of {@code trigger} in {@code state}. Total: never throws, never null. */
  public static Transition apply(OrderState state, OrderTrigger trigger) {
    OrderState next = ALLOWED.getOrDefault(state, Map.of()).get(trigger);
    if (next != null) {
      return new Transition.Allowed(next);
    }
    return new Transition.Rejected(trigger + " is not allowed for an order in state " + state + why(state, trigger));
  }

  /** Whether {@code trigger} is a defined transition in {@code state}. */
  public static boolean allows(OrderState state, OrderTrigger trigger) {
    return apply(state, trigger) instanceof Transition.Allowed;
  }

  private static String why(OrderState state, OrderTrigger trigger) {
    if (state.isFinal()) {
      return ": the order is final";
    }
    if (state == NEW) {
      return ": the order is not sent yet";
    }
    if (trigger == SENT) {
      return ": the order was sent already";
    }
    if (trigger == ENDED_FILLED) {
      return ": fills are missing (ask the venue for them)";
    }
    if (trigger == ENDED_REJECTED) {
      return ": the venue acknowledged or filled it already";
    }
    return ": it is filled already";
  }
}
