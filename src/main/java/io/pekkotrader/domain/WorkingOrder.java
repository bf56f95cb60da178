package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An intent and what has happened to its order so far.
 *
 * @param intent the persisted intent
 * @param approved whether RiskManager approved it (the order may have been sent)
 * @param venueOrderId the venue's id once acknowledged, else null
 * @param filledQuantity sum of applied fills
 * @param tradeIds trade ids already applied (de-duplication)
 */
public record WorkingOrder(
    OrderIntent intent, boolean approved, String venueOrderId, BigDecimal filledQuantity, List<String> tradeIds) {

  public WorkingOrder {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(filledQuantity, "filledQuantity");
    tradeIds = List.copyOf(tradeIds);
  }

  public static WorkingOrder of(OrderIntent intent) {
    return new WorkingOrder(intent, false, null, BigDecimal.ZERO, List.of());
  }

  public String clientOrderId() {
    return intent.clientOrderId();
  }

  public WorkingOrder approve() {
    return new WorkingOrder(intent, true, venueOrderId, filledQuantity, tradeIds);
  }

  public WorkingOrder accepted(String venueOrderId) {
    return new WorkingOrder(intent, approved, venueOrderId, filledQuantity, tradeIds);
  }

  public boolean hasApplied(String tradeId) {
    return tradeIds.contains(tradeId);
  }

  public WorkingOrder withFill(Fill fill) {
    Set<String> ids = new LinkedHashSet<>(tradeIds);
    ids.add(fill.tradeId());
    return new WorkingOrder(intent, approved, venueOrderId, filledQuantity.add(fill.quantity()), List.copyOf(ids));
  }

  public BigDecimal remainingQuantity() {
    return intent.quantity().subtract(filledQuantity);
  }

  public boolean isFullyFilled() {
    return filledQuantity.compareTo(intent.quantity()) >= 0;
  }
}
