package io.pekkotrader.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One page of round trips, newest first: the last {@code limit} trades numbered below {@code
 * before} (of one symbol, or of all when {@code symbol} is null), picked from trades offered in
 * number order. Holds at most {@code limit} trades; mutable, for one fold only.
 */
public final class TradePage {
  private final long before;
  private final int limit;
  private final String symbol;
  private final ArrayDeque<RoundTrips.RoundTrip> kept = new ArrayDeque<>();
  private boolean older;

  /** @param symbol a symbol id, or null for every symbol */
  public TradePage(long before, int limit, String symbol) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1");
    }
    this.before = before;
    this.limit = limit;
    this.symbol = symbol;
  }

  /** The trades on the page, newest first, and the cursor of the next (older) page, null when there is none. */
  public record Page(List<RoundTrips.RoundTrip> trades, Long nextBefore) {}

  public TradePage offer(RoundTrips.RoundTrip trip) {
    if (trip.number() >= before || (symbol != null && !symbol.equals(trip.symbol().id()))) {
      return this;
    }
    kept.addLast(trip);
    if (kept.size() > limit) {
      kept.removeFirst();
      older = true;
    }
    return this;
  }

  /** Tells that matching trades older than every one offered exist (offered trades were only the newest part). */
  public TradePage olderExist() {
    older = true;
    return this;
  }

  public Page page() {
    List<RoundTrips.RoundTrip> newestFirst = new ArrayList<>(kept);
    Collections.reverse(newestFirst);
    return new Page(newestFirst, older && !kept.isEmpty() ? kept.peekFirst().number() : null);
  }
}
