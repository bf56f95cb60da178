package io.pekkotrader.domain;

/** The side of an order or of a trade's taker. */
public enum Side {
  BUY,
  SELL;

  public Side opposite() {
    return this == BUY ? SELL : BUY;
  }
}
