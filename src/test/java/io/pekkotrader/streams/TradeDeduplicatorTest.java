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

  @Test
  void keepsNumericIdsApartFromTheSameDigitsWithALeadingZero() {
    TradeDeduplicator dedup = new TradeDeduplicator(10);

    assertTrue(dedup.firstSeen(BTC, "7"));
    assertTrue(dedup.firstSeen(BTC, "07"), "not the same id as 7");
    assertTrue(dedup.firstSeen(BTC, "agg-7"));
    assertFalse(dedup.firstSeen(BTC, "07"));
    assertFalse(dedup.firstSeen(BTC, "7"));
    assertTrue(dedup.firstSeen(BTC, "1234567890123456789"), "19 digits: kept as a string");
    assertFalse(dedup.firstSeen(BTC, "1234567890123456789"));
  }

  @Test
  void remembersExactlyTheLastWindowNumericIds() {
    TradeDeduplicator dedup = new TradeDeduplicator(3);
    for (String id : new String[] {"101", "102", "103", "104"}) {
      dedup.firstSeen(BTC, id);
    }

    assertFalse(dedup.firstSeen(BTC, "102"));
    assertFalse(dedup.firstSeen(BTC, "104"));
    assertTrue(dedup.firstSeen(BTC, "101"), "evicted by 104");
  }

  /** Against a plain reference of the same rule, with ids from a small range so that probes collide and evictions shift entries back. */
  @Test
  void agreesWithAReferenceOverAMillionRandomIds() {
    for (int window : new int[] {1, 2, 3, 7, 64, 1000}) {
      TradeDeduplicator dedup = new TradeDeduplicator(window);
      Reference reference = new Reference(window);
      java.util.SplittableRandom random = new java.util.SplittableRandom(window);
      for (int i = 0; i < 1_000_000 / 6; i++) {
        long id = random.nextLong(window * 3L + 5);
        reference.check(dedup, id, i);
      }
    }
  }

  /**
   * Against the same reference with ids as venues send them: mostly one after another, with
   * replays of a recent stretch (a reconnect), jumps ahead, and strides of 64 and 16,384 (ids of a
   * venue-wide counter), so that whole blocks of ids share slots and probes run across blocks.
   */
  @Test
  void agreesWithAReferenceOnRunsReplaysAndStrides() {
    for (int window : new int[] {1, 3, 64, 100, 4096}) {
      TradeDeduplicator dedup = new TradeDeduplicator(window);
      Reference reference = new Reference(window);
      java.util.SplittableRandom random = new java.util.SplittableRandom(window + 1);
      long last = 1_000_000_000_001L;
      int stride = 1;
      for (int i = 0; i < 400_000; i++) {
        int pick = random.nextInt(1000);
        if (pick < 5) {
          last = Math.max(0, last - random.nextLong(2L * window + 2)); // a replay from a little back
        } else if (pick < 8) {
          last += random.nextLong(1, 100_000); // a gap
        } else if (pick < 10) {
          stride = new int[] {1, 2, 64, 16_384}[random.nextInt(4)];
        }
        long id = last;
        last += stride;
        reference.check(dedup, id, i);
      }
    }
  }

  /** The de-duplicator's contract, plainly: an id is new unless it is among the last {@code window} new ids. */
  private static final class Reference {
    private final int window;
    private final java.util.ArrayDeque<Long> order = new java.util.ArrayDeque<>();
    private final java.util.Set<Long> seen = new java.util.HashSet<>();

    Reference(int window) {
      this.window = window;
    }

    void check(TradeDeduplicator dedup, long id, int step) {
      boolean expected = !seen.contains(id);
      if (expected) {
        order.addLast(id);
        seen.add(id);
        if (order.size() > window) {
          seen.remove(order.removeFirst());
        }
      }
      boolean actual = dedup.firstSeen(BTC, Long.toString(id));
      if (actual != expected) {
        throw new AssertionError("window " + window + ", step " + step + ", id " + id + ": expected " + expected);
      }
    }
  }
}
