package io.pekkotrader.exchange;

import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.OrderStatus;
import io.pekkotrader.persistence.CborSerializable;
import java.util.List;

/** What a venue reports about an order, in the venue-neutral form every client produces. */
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
