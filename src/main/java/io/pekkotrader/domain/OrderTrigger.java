package io.pekkotrader.domain;

/**
 * What can happen to an order: one trigger per persisted event of the symbol that concerns the
 * order's venue life ({@code IntentApproved}, {@code OrderAccepted}, {@code FillRecorded}, {@code
 * OrderEnded}).
 */
public enum OrderTrigger {
  /** Risk approved the intent and the order is sent. */
  SENT,
  /** The venue acknowledged the order. */
  ACKNOWLEDGED,
  /** A fill that leaves some of the order to fill. */
  FILLED_IN_PART,
  /** A fill that completes the order. */
  FILLED_IN_FULL,
  /** The venue says the order is final and filled. */
  ENDED_FILLED,
  /** The venue says the order is cancelled. */
  ENDED_CANCELED,
  /** The venue refused the order. */
  ENDED_REJECTED,
  /** The venue let the order lapse. */
  ENDED_EXPIRED,
  /** Asked, the venue has no record of the order. */
  ENDED_NOT_FOUND;

  /** The trigger of an end report with {@code status}. */
  public static OrderTrigger ended(OrderStatus status) {
    return switch (status) {
      case FILLED -> ENDED_FILLED;
      case CANCELED -> ENDED_CANCELED;
      case REJECTED -> ENDED_REJECTED;
      case EXPIRED -> ENDED_EXPIRED;
      case UNKNOWN -> ENDED_NOT_FOUND;
    };
  }
}
