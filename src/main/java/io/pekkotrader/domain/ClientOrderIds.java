package io.pekkotrader.domain;

/**
 * Client order ids derived from the symbol's persistence identity and the sequence number of
 * the event that persisted the intent: {@code <SYMBOL>-<seqNr>}. Sequence numbers are unique per
 * symbol's journal and a symbol is unique on its venue, so an id is unique on the venue for the
 * life of the journal: a retry or a restart never produces a second order under a used id.
 * The venue is left out on purpose: ids only need to be unique per venue, and Binance allows 36
 * characters ({@code ^[.A-Z:/a-z0-9_-]{1,36}$}): 20 for the symbol, 1 dash, 15 digits.
 */
public final class ClientOrderIds {
  /** Binance's limit, the strictest of the venues. */
  public static final int MAX_LENGTH = 36;

  private ClientOrderIds() {}

  public static String of(SymbolId symbol, long sequenceNr) {
    if (sequenceNr <= 0) {
      throw new IllegalArgumentException("sequence number must be > 0, got " + sequenceNr);
    }
    String id = symbol.symbol() + "-" + sequenceNr;
    if (id.length() > MAX_LENGTH) {
      throw new IllegalStateException("client order id " + id + " is longer than " + MAX_LENGTH + " characters");
    }
    return id;
  }
}
