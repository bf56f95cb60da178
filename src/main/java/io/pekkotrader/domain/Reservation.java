package io.pekkotrader.domain;

import java.math.BigDecimal;

/**
 * Quote funds held for one order until its fills commit them or its end releases them.
 *
 * @param clientOrderId the order
 * @param symbol its instrument
 * @param amount held, in {@code asset}
 * @param asset the symbol's quote asset, whose cash is held; null (journals written before cash
 *     per quote asset) means the ledger's account asset
 */
public record Reservation(String clientOrderId, SymbolId symbol, BigDecimal amount, String asset) {

  /** A reservation in the ledger's account asset. */
  public Reservation(String clientOrderId, SymbolId symbol, BigDecimal amount) {
    this(clientOrderId, symbol, amount, null);
  }

  /** The same reservation holding {@code left}. */
  public Reservation withAmount(BigDecimal left) {
    return new Reservation(clientOrderId, symbol, left, asset);
  }

  /** The same reservation in {@code quoteAsset}. */
  public Reservation in(String quoteAsset) {
    return new Reservation(clientOrderId, symbol, amount, quoteAsset);
  }
}
