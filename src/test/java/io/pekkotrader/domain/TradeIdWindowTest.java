package io.pekkotrader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TradeIdWindowTest {

  /** Against a plain deque: same ids in the same order, same answers to contains, for any capacity around the chunk size. */
  @Property(tries = 60)
  void behavesAsABoundedDequeOfIds(
      @ForAll @IntRange(min = 1, max = 3 * TradeIdWindow.CHUNK + 7) int capacity,
      @ForAll @IntRange(min = 0, max = 4 * TradeIdWindow.CHUNK) int appends) {
    TradeIdWindow window = TradeIdWindow.empty();
    ArrayDeque<String> expected = new ArrayDeque<>();
    for (int i = 0; i < appends; i++) {
      String id = "t" + i;
      window = window.appended(id, capacity);
      expected.addLast(id);
      while (expected.size() > capacity) {
        expected.removeFirst();
      }
    }
    assertEquals(new ArrayList<>(expected), window);
    assertEquals(expected.size(), window.size());
    for (int i = 0; i < appends; i++) {
      String id = "t" + i;
      assertEquals(expected.contains(id), window.contains(id), id);
    }
    assertFalse(window.contains("t" + appends));
    assertFalse(window.hasDuplicates());
  }

  @Test
  void anOlderWindowIsUnchangedByAppendsToIt() {
    TradeIdWindow base = TradeIdWindow.empty();
    for (int i = 0; i < TradeIdWindow.CHUNK - 1; i++) {
      base = base.appended("t" + i, 10_000);
    }
    TradeIdWindow a = base.appended("a", 10_000);
    TradeIdWindow b = base.appended("b", 10_000);
    assertTrue(a.contains("a"));
    assertFalse(a.contains("b"));
    assertTrue(b.contains("b"));
    assertFalse(b.contains("a"));
    assertFalse(base.contains("a"));
    assertEquals(TradeIdWindow.CHUNK - 1, base.size());
  }

  @Test
  void aListWithAnIdTwiceIsKeptAsItIsAndSaysSo() {
    TradeIdWindow window = TradeIdWindow.of(List.of("t1", "t2", "t1"));
    assertEquals(List.of("t1", "t2", "t1"), window);
    assertTrue(window.hasDuplicates());
    assertFalse(TradeIdWindow.of(List.of("t1", "t2")).hasDuplicates());
    assertTrue(TradeIdWindow.of(List.of("t1")).appended("t1", 5).hasDuplicates());
  }

  @Test
  void aWindowIsTakenAsItIsAndNullsAndBadCapacitiesAreRefused() {
    TradeIdWindow window = TradeIdWindow.of(List.of("t1"));
    assertSame(window, TradeIdWindow.of(window));
    assertThrows(NullPointerException.class, () -> window.appended(null, 5));
    assertThrows(IllegalArgumentException.class, () -> window.appended("t2", 0));
    assertThrows(IndexOutOfBoundsException.class, () -> window.get(1));
    assertFalse(window.contains(42));
  }

  @Test
  void theLedgerAppliesAFillOnceAcrossTheWholeWindowAndForgetsOnlyBeyondIt() {
    Ledger ledger = Ledger.start("USDT", new java.math.BigDecimal("1000000"));
    SymbolId symbol = new SymbolId("binance", "BTCUSDT");
    for (int i = 0; i < Ledger.DEDUP_WINDOW + 1; i++) {
      Side side = i % 2 == 0 ? Side.BUY : Side.SELL;
      ledger = ledger.applyFill(new Fill("f" + i, "o" + i, symbol, side, java.math.BigDecimal.ONE, java.math.BigDecimal.TEN,
          java.math.BigDecimal.ZERO, i));
    }
    assertEquals(Ledger.DEDUP_WINDOW + 1, ledger.fills());
    assertEquals(Ledger.DEDUP_WINDOW, ledger.recentTradeIds().size());
    assertFalse(ledger.hasApplied("f0"));
    assertTrue(ledger.hasApplied("f1"));
    assertTrue(ledger.hasApplied("f" + Ledger.DEDUP_WINDOW));
    Ledger again = ledger.applyFill(new Fill("f5", "o5", symbol, Side.SELL, java.math.BigDecimal.ONE, java.math.BigDecimal.TEN,
        java.math.BigDecimal.ZERO, 5));
    assertSame(ledger, again);
    assertTrue(ledger.violations().isEmpty(), ledger.violations().toString());
  }
}
