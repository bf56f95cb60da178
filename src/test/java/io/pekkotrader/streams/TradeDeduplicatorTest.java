package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolId;
import org.junit.jupiter.api.Test;

class TradeDeduplicatorTest {
  private static final SymbolId BTC = SymbolId.parse("binance:BTCUSDT");
  private static final SymbolId ETH = SymbolId.parse("binance:ETHUSDT");

  @Test
  void dropsATradeIdSeenBeforeForTheSameSymbol() {
    TradeDeduplicator dedup = new TradeDeduplicator(100);

    assertTrue(dedup.firstSeen(BTC, "1"));
    assertTrue(dedup.firstSeen(BTC, "2"));
    assertFalse(dedup.firstSeen(BTC, "1"));
    assertFalse(dedup.firstSeen(BTC, "2"));
  }

  @Test
  void keepsSymbolsApart() {
    TradeDeduplicator dedup = new TradeDeduplicator(100);

    assertTrue(dedup.firstSeen(BTC, "7"));
    assertTrue(dedup.firstSeen(ETH, "7"));
  }

  @Test
  void remembersExactlyTheLastWindowIdsOfEachSymbol() {
    TradeDeduplicator dedup = new TradeDeduplicator(3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      dedup.firstSeen(BTC, id);
    }

    assertFalse(dedup.firstSeen(BTC, "b"), "b is among the last three");
    assertFalse(dedup.firstSeen(BTC, "d"));
    assertTrue(dedup.firstSeen(BTC, "a"), "a was evicted by d: memory stays bounded");
  }

  @Test
  void aDuplicateDoesNotEvictAnything() {
    TradeDeduplicator dedup = new TradeDeduplicator(2);
    dedup.firstSeen(BTC, "a");
    dedup.firstSeen(BTC, "b");

    for (int i = 0; i < 10; i++) {
      assertFalse(dedup.firstSeen(BTC, "a"));
    }
    assertFalse(dedup.firstSeen(BTC, "b"));
  }
}
