package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cash assets the engine keeps, their starting cash, and the quote asset of each symbol.
 *
 * @param accountAsset the asset risk and reporting count in (its starting cash > 0)
 * @param startingCash by asset, the account asset included (others >= 0)
 * @param symbolQuotes quote assets set per symbol id ({@code venue:SYMBOL}); other symbols take
 *     the longest cash asset their name ends with (see {@link #suffixAsset})
 */
public record QuoteAssets(String accountAsset, Map<String, BigDecimal> startingCash, Map<String, String> symbolQuotes) {

  public QuoteAssets {
    Objects.requireNonNull(accountAsset, "accountAsset");
    BigDecimal account = startingCash.get(accountAsset);
    if (account == null || account.signum() <= 0) {
      throw new IllegalArgumentException("starting cash in the account asset " + accountAsset + " must be > 0");
    }
    startingCash = Collections.unmodifiableMap(new TreeMap<>(startingCash));
    symbolQuotes = Collections.unmodifiableMap(new TreeMap<>(symbolQuotes));
  }

  /** One asset, which is the account asset; every symbol is quoted in it by its name or not at all. */
  public static QuoteAssets single(String asset, BigDecimal startingCash) {
    return new QuoteAssets(asset, Map.of(asset, startingCash), Map.of());
  }

  /** The symbol's quote asset: set for it, else the longest cash asset its name ends with, else null. */
  public String of(SymbolId symbol) {
    String set = symbolQuotes.get(symbol.id());
    return set != null ? set : suffixAsset(symbol.symbol(), startingCash.keySet());
  }

  /**
   * The longest of {@code assets} that {@code symbol} ends with and is longer than
   * ({@code ETHBTC} → {@code BTC}; {@code BTCUSDT} → {@code USDT} rather than {@code USD}), or null.
   */
  public static String suffixAsset(String symbol, Collection<String> assets) {
    String best = null;
    for (String asset : assets) {
      if (symbol.length() > asset.length() && symbol.endsWith(asset) && (best == null || asset.length() > best.length())) {
        best = asset;
      }
    }
    return best;
  }
}
