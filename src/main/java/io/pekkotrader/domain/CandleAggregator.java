package io.pekkotrader.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Folds trades into candles of a fixed interval, aligned to the epoch
 * ({@code openTime = t - t mod interval}). A trade at exactly {@code openTime + interval}
 * belongs to the next candle. When time moves past one or more intervals without trades,
 * each empty interval is closed as a forward-filled candle from the last close.
 *
 * <p>Candles close either when a later trade arrives ({@link #onTrade}) or when the clock
 * passes the end of the open candle ({@link #advanceTo}); both return the candles closed by
 * that step, oldest first. A trade older than the open candle cannot change a closed candle:
 * it is counted in {@link #lateTrades()} and ignored.
 *
 * <p>Mutable and not thread-safe: it is owned by exactly one actor. The closed history is
 * bounded by {@code capacity}; a gap longer than that emits only the newest {@code capacity}
 * forward-filled candles (older ones could not be kept anyway).
 */
public final class CandleAggregator {
  private final long intervalMs;
  private final int capacity;
  private final ArrayDeque<Candle> history;
  private Candle open;
  private long lateTrades;

  public CandleAggregator(long intervalMs, int capacity) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("candle interval must be > 0 ms, got " + intervalMs);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("candle capacity must be > 0, got " + capacity);
    }
    this.intervalMs = intervalMs;
    this.capacity = capacity;
    this.history = new ArrayDeque<>(capacity);
  }

  public long intervalMs() {
    return intervalMs;
  }

  /** Adds a trade; returns the candles this trade closed (possibly forward-filled ones). */
  public List<Candle> onTrade(Trade trade) {
    long bucket = bucketOf(trade.timestampMs());
    if (open == null) {
      open = Candle.firstTrade(bucket, trade);
      return List.of();
    }
    if (bucket < open.openTimeMs()) {
      lateTrades++;
      return List.of();
    }
    if (bucket == open.openTimeMs()) {
      open = open.with(trade);
      return List.of();
    }
    List<Candle> closed = closeUpTo(bucket);
    open = Candle.firstTrade(bucket, trade);
    return closed;
  }

  /**
   * Tells the aggregator that the clock reads {@code nowMs}: the open candle and any empty
   * intervals that ended at or before now are closed. The interval containing now is left
   * open as a forward-fill, ready for the next trade.
   */
  public List<Candle> advanceTo(long nowMs) {
    if (open == null) {
      return List.of();
    }
    long bucket = bucketOf(nowMs);
    if (bucket <= open.openTimeMs()) {
      return List.of();
    }
    List<Candle> closed = closeUpTo(bucket);
    open = Candle.forwardFill(bucket, open.close());
    return closed;
  }

  /** Closes the open candle and forward-fills every empty interval before {@code bucket}. */
  private List<Candle> closeUpTo(long bucket) {
    List<Candle> closed = new ArrayList<>();
    closed.add(open);
    long gaps = (bucket - open.openTimeMs()) / intervalMs - 1;
    long firstFill = open.openTimeMs() + intervalMs;
    if (gaps > capacity) {
      firstFill += (gaps - capacity) * intervalMs;
      gaps = capacity;
    }
    for (long i = 0; i < gaps; i++) {
      closed.add(Candle.forwardFill(firstFill + i * intervalMs, open.close()));
    }
    for (Candle candle : closed) {
      if (history.size() == capacity) {
        history.removeFirst();
      }
      history.addLast(candle);
    }
    return closed;
  }

  private long bucketOf(long timestampMs) {
    return Math.floorDiv(timestampMs, intervalMs) * intervalMs;
  }

  /** Closed candles, oldest first, at most {@code capacity}. */
  public List<Candle> history() {
    return Collections.unmodifiableList(new ArrayList<>(history));
  }

  /** The number of closed candles held. */
  public int closedCount() {
    return history.size();
  }

  /** The candle still open, or {@code null} before the first trade. */
  public Candle openCandle() {
    return open;
  }

  public long lateTrades() {
    return lateTrades;
  }
}
