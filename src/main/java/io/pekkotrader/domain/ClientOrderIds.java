package io.pekkotrader.domain;

/**
 * Client order ids derived from the symbol's persistence identity and the sequence number of
 * the event that persisted the intent: {@code <venue>-<SYMBOL>-<seqNr>}. Unique for the life of
 * the journal, so a retry or a restart can never produce a second order under a used id.
 * Fits Binance's rule {@code ^[.A-Z:/a-z0-9_-]{1,36}$}.
 */
public final class ClientOrderIds {
  private ClientOrderIds() {}

  public static String of(SymbolId symbol, long sequenceNr) {
    if (sequenceNr <= 0) {
      throw new IllegalArgumentException("sequence number must be > 0, got " + sequenceNr);
    }
    return symbol.venue() + "-" + symbol.symbol() + "-" + sequenceNr;
  }
}
