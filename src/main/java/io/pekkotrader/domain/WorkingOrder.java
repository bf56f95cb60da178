package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An intent and what has happened to its order so far. The order's state moves by {@link
 * OrderTransitions} only. A trigger the table rejects (a late or out-of-order report, possible in
 * a corrupt journal) leaves the state as it is; a fill is a fact reported by the venue, so its
 * quantity and trade id count even then.
 *
 * @param intent the persisted intent
 * @param state where the order stands at the venue ({@link OrderState#NEW} until risk approves
 *     it; approved means sent)
 * @param venueOrderId the venue's id once acknowledged, else null
 * @param filledQuantity sum of applied fills
 * @param tradeIds trade ids already applied (de-duplication)
 */
public record WorkingOrder(
    OrderIntent intent, OrderState state, String venueOrderId, BigDecimal filledQuantity, List<String> tradeIds) {

  public WorkingOrder {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(filledQuantity, "filledQuantity");
    tradeIds = List.copyOf(tradeIds);
  }

  public static WorkingOrder of(OrderIntent intent) {
    return new WorkingOrder(intent, OrderState.NEW, null, BigDecimal.ZERO, List.of());
  }

  public String clientOrderId() {
    return intent.clientOrderId();
  }

  /** Whether RiskManager approved it, which is when the order is sent: any state after {@link OrderState#NEW}. */
  public boolean approved() {
    return state != OrderState.NEW;
  }

  /** Risk approved it: the order is sent, its outcome not known yet. */
  public WorkingOrder approve() {
    return new WorkingOrder(intent, next(OrderTrigger.SENT), venueOrderId, filledQuantity, tradeIds);
  }

  /** The venue acknowledged it. */
  public WorkingOrder accepted(String venueOrderId) {
    return new WorkingOrder(intent, next(OrderTrigger.ACKNOWLEDGED), venueOrderId, filledQuantity, tradeIds);
  }

  public boolean hasApplied(String tradeId) {
    return tradeIds.contains(tradeId);
  }

  public WorkingOrder withFill(Fill fill) {
    Set<String> ids = new LinkedHashSet<>(tradeIds);
    ids.add(fill.tradeId());
    BigDecimal filled = filledQuantity.add(fill.quantity());
    OrderTrigger trigger = filled.compareTo(intent.quantity()) >= 0 ? OrderTrigger.FILLED_IN_FULL : OrderTrigger.FILLED_IN_PART;
    return new WorkingOrder(intent, next(trigger), venueOrderId, filled, List.copyOf(ids));
  }

  /** Whether the venue's word that the order ended {@code status} fits what is known of it (false: fills are missing). */
  public boolean canEnd(OrderStatus status) {
    return OrderTransitions.allows(state, OrderTrigger.ended(status));
  }

  public BigDecimal remainingQuantity() {
    return intent.quantity().subtract(filledQuantity);
  }

  public boolean isFullyFilled() {
    return filledQuantity.compareTo(intent.quantity()) >= 0;
  }

  private OrderState next(OrderTrigger trigger) {
    return OrderTransitions.apply(state, trigger) instanceof OrderTransitions.Transition.Allowed allowed ? allowed.next() : state;
  }
}
