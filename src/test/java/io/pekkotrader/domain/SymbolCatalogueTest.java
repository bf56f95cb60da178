package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SymbolCatalogueTest {
  private static final Set<String> USDT_ONLY = Set.of("USDT");
  private static final Set<String> USDT_AND_BTC = Set.of("USDT", "BTC");

  private static SymbolListing listing(String id, String quote) {
    return new SymbolListing(SymbolId.parse(id), "ma-crossover", new BigDecimal("0.001"), BigDecimal.ONE, quote, null);
  }

  private static List<String> ids(List<SymbolId> ids) {
    return ids.stream().map(SymbolId::id).toList();
  }

  private static final SymbolCatalogue CONFIGURED =
      SymbolCatalogue.configured(List.of(listing("binance:BTCUSDT", "USDT"), listing("binance:ETHBTC", "BTC"), listing("bybit:ETHUSDT", "USDT")));

  @Test
  void theConfiguredSymbolsAreVersionZeroInTheirOrder() {
    assertEquals(0, CONFIGURED.version());
    assertEquals(List.of("binance:BTCUSDT", "binance:ETHBTC", "bybit:ETHUSDT"), ids(CONFIGURED.ids()));
    assertEquals(List.of("binance:BTCUSDT", "binance:ETHBTC"), ids(CONFIGURED.onVenue("binance")));
    assertTrue(CONFIGURED.onVenue("kraken").isEmpty());
    assertEquals("USDT", CONFIGURED.listing(SymbolId.parse("bybit:ETHUSDT")).quoteAsset());
    assertNull(CONFIGURED.listing(SymbolId.parse("bybit:BTCUSDT")));
    assertFalse(CONFIGURED.contains(SymbolId.parse("bybit:BTCUSDT")));
  }

  @Test
  void anAddedSymbolGoesLastAndEachChangeIsANewVersion() {
    SymbolCatalogue added = CONFIGURED.added(listing("binance:SOLUSDT", "USDT"));
    assertEquals(1, added.version());
    assertEquals("binance:SOLUSDT", ids(added.ids()).get(3));
    SymbolCatalogue removed = added.removed(SymbolId.parse("bybit:ETHUSDT"));
    assertEquals(2, removed.version());
    assertEquals(List.of("binance:BTCUSDT", "binance:ETHBTC", "binance:SOLUSDT"), ids(removed.ids()));
    assertEquals(3, CONFIGURED.ids().size(), "a catalogue never changes");
  }

  @Test
  void aSymbolTradedAlreadyCannotBeAddedAgain() {
    assertEquals("symbol_exists", CONFIGURED.refusesAdd(listing("binance:BTCUSDT", "USDT")).code());
    assertNull(CONFIGURED.refusesAdd(listing("kraken:BTCUSDT", "USDT")));
    SymbolCatalogue gone = CONFIGURED.removed(SymbolId.parse("binance:BTCUSDT"));
    assertNull(gone.refusesAdd(listing("binance:BTCUSDT", "USDT")));
  }

  @Test
  void aSymbolNotTradedCannotBeRemoved() {
    SymbolCatalogue.Refusal refusal = CONFIGURED.refusesRemove(SymbolId.parse("kraken:XBTUSD"), "USDT", USDT_ONLY);
    assertEquals("unknown_symbol", refusal.code());
    assertTrue(refusal.message().contains("kraken:XBTUSD"));
  }

  @Test
  void theLastSymbolThatValuesACashAssetStays() {
    SymbolCatalogue.Refusal refusal = CONFIGURED.refusesRemove(SymbolId.parse("binance:BTCUSDT"), "USDT", USDT_AND_BTC);
    assertEquals("conversion_symbol", refusal.code());
    assertTrue(refusal.message().contains("BTC cash"), refusal.message());
    assertNull(CONFIGURED.refusesRemove(SymbolId.parse("binance:BTCUSDT"), "USDT", USDT_ONLY), "without BTC cash it is an ordinary symbol");
    SymbolCatalogue two = CONFIGURED.added(listing("bybit:BTCUSDT", "USDT"));
    assertNull(two.refusesRemove(SymbolId.parse("binance:BTCUSDT"), "USDT", USDT_AND_BTC), "another venue's BTCUSDT values BTC too");
    SymbolCatalogue other = CONFIGURED.added(listing("kraken:BTCUSDT", "BTC"));
    assertEquals(
        "conversion_symbol",
        other.refusesRemove(SymbolId.parse("binance:BTCUSDT"), "USDT", USDT_AND_BTC).code(),
        "a BTCUSDT quoted in another asset does not value BTC in USDT");
    assertNull(CONFIGURED.refusesRemove(SymbolId.parse("binance:ETHBTC"), "USDT", USDT_AND_BTC), "a symbol quoted in BTC may go");
  }

  @Test
  void removingASymbolNotListedChangesNothingButTheVersion() {
    SymbolCatalogue same = CONFIGURED.removed(SymbolId.parse("kraken:XBTUSD"));
    assertEquals(CONFIGURED.listings(), same.listings());
    assertEquals(1, same.version());
  }

  @Test
  void aNegativeVersionIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SymbolCatalogue(-1, List.of()));
  }
}
