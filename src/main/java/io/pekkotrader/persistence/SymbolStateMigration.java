package io.pekkotrader.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkotrader.domain.OrderState;
import java.math.BigDecimal;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * SymbolTrader snapshots written before the order's own state machine kept the working order as
 * {@code {intent, approved, venueOrderId, filledQuantity, tradeIds}}. Version 2 replaces {@code
 * approved} with {@code state} ({@link OrderState}), derived from what the old fields say: not
 * approved → {@code NEW}; approved (so sent) and all of it filled → {@code FILLED}, some →
 * {@code PARTIALLY_FILLED}; acknowledged → {@code ACCEPTED}; else nothing heard → {@code UNKNOWN}.
 * These are the states replaying the same events gives.
 */
public final class SymbolStateMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion >= 2
        || !(json instanceof ObjectNode state)
        || !(state.get("order") instanceof ObjectNode order)
        || order.has("state")) {
      return json;
    }
    order.put("state", stateOf(order).name());
    order.remove("approved");
    return state;
  }

  private static OrderState stateOf(ObjectNode order) {
    if (!order.path("approved").asBoolean(false)) {
      return OrderState.NEW;
    }
    BigDecimal filled = decimal(order.get("filledQuantity"));
    BigDecimal quantity = decimal(order.path("intent").get("quantity"));
    if (filled.signum() > 0 && quantity != null && filled.compareTo(quantity) >= 0) {
      return OrderState.FILLED;
    }
    if (filled.signum() > 0) {
      return OrderState.PARTIALLY_FILLED;
    }
    return order.hasNonNull("venueOrderId") ? OrderState.ACCEPTED : OrderState.UNKNOWN;
  }

  /** A decimal as Jackson wrote it (a number, or its text); zero when absent. */
  private static BigDecimal decimal(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return BigDecimal.ZERO;
    }
    return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText());
  }
}
