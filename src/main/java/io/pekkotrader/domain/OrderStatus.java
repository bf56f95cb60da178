package io.pekkotrader.domain;

/** Final states of an order. {@code UNKNOWN}: the venue has no record of it (never placed). */
public enum OrderStatus {
  FILLED,
  CANCELED,
  REJECTED,
  EXPIRED,
  UNKNOWN
}
