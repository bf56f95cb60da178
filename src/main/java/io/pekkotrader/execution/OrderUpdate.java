package io.pekkotrader.execution;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.serialization.CborSerializable;
import java.util.List;

/**
 * What a venue reports about an order, in the venue-neutral form every client produces. Carried
 * inside other messages, so the concrete type travels with it under a stable name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = OrderUpdate.Accepted.class, name = "accepted"),
  @JsonSubTypes.Type(value = OrderUpdate.Filled.class, name = "filled"),
  @JsonSubTypes.Type(value = OrderUpdate.Ended.class, name = "ended"),
  @JsonSubTypes.Type(value = OrderUpdate.Report.class, name = "report")
})
public sealed interface OrderUpdate extends CborSerializable {
  String clientOrderId();

  /** The venue accepted the order. */
  record Accepted(String clientOrderId, String venueOrderId) implements OrderUpdate {}

  /** One execution. */
  record Filled(String clientOrderId, Fill fill) implements OrderUpdate {}

  /** The order is final. */
  record Ended(String clientOrderId, OrderStatus status, String reason) implements OrderUpdate {}

  /**
   * Answer to a query by client order id: everything the venue knows of the order.
   * {@code known == false}: the venue has no such order (it was never placed).
   * {@code finalStatus == null}: still working.
   */
  record Report(String clientOrderId, boolean known, List<Fill> fills, OrderStatus finalStatus) implements OrderUpdate {}
}
