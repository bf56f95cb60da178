package io.pekkotrader.domain;

/** Whether an order opens a position or closes one. */
public enum IntentKind {
  ENTRY,
  EXIT
}
