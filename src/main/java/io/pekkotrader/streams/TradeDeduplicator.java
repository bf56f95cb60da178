package io.pekkotrader.streams;

import io.pekkotrader.domain.SymbolId;
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
    return bySymbol.computeIfAbsent(symbol, s -> new Recent(window)).add(tradeId);
  }

  /** The last ids of one symbol: a ring in arrival order and a set for lookups. */
  private static final class Recent {
    private final String[] ring;
    private final Set<String> ids;
    private int next;

    Recent(int window) {
      this.ring = new String[window];
      this.ids = new HashSet<>(Math.min(window, 1 << 16) * 2);
    }

    boolean add(String id) {
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
}
