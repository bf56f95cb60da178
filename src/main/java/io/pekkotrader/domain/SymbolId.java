package io.pekkotrader.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A traded instrument on one venue, written {@code venue:SYMBOL} (e.g. {@code binance:BTCUSDT}).
 * The venue is lower case, the symbol upper case; both are validated so that an id read from
 * an HTTP path or a config file either parses to a well-formed id or fails with a clear message.
 */
public record SymbolId(String venue, String symbol) {
  private static final Pattern VENUE = Pattern.compile("[a-z][a-z0-9]{1,15}");
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{2,20}");

  public SymbolId {
    Objects.requireNonNull(venue, "venue");
    Objects.requireNonNull(symbol, "symbol");
    if (!VENUE.matcher(venue).matches()) {
      throw new IllegalArgumentException("venue must match " + VENUE + ", got '" + venue + "'");
    }
    if (!SYMBOL.matcher(symbol).matches()) {
      throw new IllegalArgumentException("symbol must match " + SYMBOL + ", got '" + symbol + "'");
    }
  }

  /** Parses {@code venue:SYMBOL}; throws {@link IllegalArgumentException} naming the rule. */
  public static SymbolId parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("symbol id must be venue:SYMBOL, got null");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon != text.lastIndexOf(':') || colon == text.length() - 1) {
      throw new IllegalArgumentException("symbol id must be venue:SYMBOL, got '" + text + "'");
    }
    return new SymbolId(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The id as used in the API, config and persistence ids: {@code venue:SYMBOL}. */
  public String id() {
    return venue + ":" + symbol;
  }

  @Override
  public String toString() {
    return id();
  }
}
