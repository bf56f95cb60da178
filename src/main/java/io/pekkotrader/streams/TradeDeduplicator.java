package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the last {@code window} trade ids of each symbol, so that a trade a venue sends again
 * after a reconnect (an overlapping snapshot, a replayed tail) is recognised and dropped. Memory
 * is bounded: per symbol a ring of {@code window} ids and a hash set of the same ids. A duplicate
 * older than the last {@code window} trades of its symbol is not recognised; venues re-send far
 * fewer than that (Kraken's snapshot is 50 trades).
 *
 * <p>Numeric ids (every venue's plain trade ids: up to 18 digits, no leading zero) are kept as
 * {@code long}s in a ring and an open-addressing table of primitive arrays, allocated once per
 * symbol; other ids (Binance's {@code agg-} ids, UUIDs) as strings in a ring and a hash set. Each
 * kind keeps its own last {@code window} ids. As strings in hash sets, the ids of a busy venue
 * are hundreds of thousands of small objects alive for seconds (4096 per symbol), which every
 * young collection has to copy; as longs they are a few primitive arrays per symbol.
 *
 * <p>Not thread-safe: owned by one stream stage.
 */
public final class TradeDeduplicator {
  private final int window;
  private final Map<SymbolId, Recent> bySymbol = new HashMap<>();

  public TradeDeduplicator(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("the de-duplication window must be >= 1 trade, got " + window);
    }
    this.window = window;
  }

  /** True the first time this symbol's trade id is seen (and remembers it); false for a duplicate. */
  public boolean firstSeen(SymbolId symbol, String tradeId) {
    Recent recent = bySymbol.get(symbol);
    if (recent == null) {
      recent = new Recent(window);
      bySymbol.put(symbol, recent);
    }
    long number = numeric(tradeId);
    return number >= 0 ? recent.numbers.add(number) : recent.others.add(tradeId);
  }

  /** The id as a number when it is the canonical decimal form of one (so "7" and "07" stay different ids); else -1. */
  static long numeric(String id) {
    int length = id.length();
    if (length == 0 || length > 18 || (length > 1 && id.charAt(0) == '0')) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** One symbol's last ids, by kind; the numeric window is created on first use. */
  private static final class Recent {
    final NumericIds numbers;
    final OtherIds others;

    Recent(int window) {
      this.numbers = new NumericIds(window);
      this.others = new OtherIds(window);
    }
  }

  /** The last {@code window} ids that are not numbers: a ring in arrival order and a set for lookups. */
  private static final class OtherIds {
    private final int window;
    private String[] ring;
    private Set<String> ids;
    private int next;

    OtherIds(int window) {
      this.window = window;
    }

    boolean add(String id) {
      if (ring == null) {
        ring = new String[window];
        ids = new HashSet<>(Math.min(window, 1 << 16) * 2);
      }
      if (!ids.add(id)) {
        return false;
      }
      String evicted = ring[next];
      if (evicted != null) {
        ids.remove(evicted);
      }
      ring[next] = id;
      next = (next + 1) % ring.length;
      return true;
    }
  }

  /**
   * The last {@code window} numeric ids: a ring in arrival order and a linear-probing table at most
   * a quarter full, both primitive arrays (-1 marks an empty slot: ids are never negative).
   */
  private static final class NumericIds {
    private static final long EMPTY = -1;
    private final int window;
    private long[] ring;
    private long[] table;
    private int mask;
    private int next;

    NumericIds(int window) {
      this.window = window;
    }

    boolean add(long id) {
      if (ring == null) {
        ring = new long[window];
        Arrays.fill(ring, EMPTY);
        int capacity = Integer.highestOneBit(Math.max(2, window) * 4 - 1) << 1;
        table = new long[capacity];
        Arrays.fill(table, EMPTY);
        mask = capacity - 1;
      }
      if (contains(id)) {
        return false;
      }
      long evicted = ring[next];
      if (evicted != EMPTY) {
        remove(evicted);
      }
      insert(id);
      ring[next] = id;
      next = (next + 1) % ring.length;
      return true;
    }

    private int home(long id) {
      return (int) ((id * 0x9E3779B97F4A7C15L) >>> 33) & mask;
    }

    private boolean contains(long id) {
      for (int i = home(id); table[i] != EMPTY; i = (i + 1) & mask) {
        if (table[i] == id) {
          return true;
        }
      }
      return false;
    }

    private void insert(long id) {
      int i = home(id);
      while (table[i] != EMPTY) {
        i = (i + 1) & mask;
      }
      table[i] = id;
    }

    /** Removes {@code id} and shifts back the entries after it that would otherwise be cut off from their home slot. */
    private void remove(long id) {
      int hole = home(id);
      while (table[hole] != id) {
        if (table[hole] == EMPTY) {
          return;
        }
        hole = (hole + 1) & mask;
      }
      int i = hole;
      while (true) {
        i = (i + 1) & mask;
        if (table[i] == EMPTY) {
          break;
        }
        int h = home(table[i]);
        // the entry at i may move into the hole unless its home lies cyclically in (hole, i]
        boolean homeBetween = hole <= i ? (h > hole && h <= i) : (h > hole || h <= i);
        if (!homeBetween) {
          table[hole] = table[i];
          hole = i;
        }
      }
      table[hole] = EMPTY;
    }
  }
}
