package io.pekkotrader.domain;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

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
 *
 * <p>This is on the path of every trade, so it avoids work per trade: the open candle is kept
 * as fields here and becomes a {@link Candle} only when it closes or is asked for; closed
 * candles are appended to an array with some room beyond {@code capacity}, and when it is full
 * the newest {@code capacity} move to a fresh array. A slot is written once and never again, so
 * {@link #history()} hands out an immutable window over the array instead of a copy.
 */
public final class CandleAggregator {
  private final long intervalMs;
  private final int capacity;
  private Candle[] log;
  private int logEnd;
  private long lateTrades;

  // the open candle; trades == 0 is a forward fill
  private boolean hasOpen;
  private long openTimeMs;
  private BigDecimal open;
  private BigDecimal high;
  private BigDecimal low;
  private BigDecimal close;
  private BigDecimal volume;
  private int trades;

  public CandleAggregator(long intervalMs, int capacity) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("candle interval must be > 0 ms, got " + intervalMs);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException("candle capacity must be > 0, got " + capacity);
    }
    this.intervalMs = intervalMs;
    this.capacity = capacity;
    this.log = new Candle[capacity + Math.max(16, capacity / 4)];
  }

  public long intervalMs() {
    return intervalMs;
  }

  /** Adds a trade; returns the candles this trade closed (possibly forward-filled ones). */
  public List<Candle> onTrade(Trade trade) {
    long bucket = bucketOf(trade.timestampMs());
    if (!hasOpen) {
      startWith(bucket, trade);
      return List.of();
    }
    if (bucket < openTimeMs) {
      lateTrades++;
      return List.of();
    }
    if (bucket == openTimeMs) {
      fold(trade);
      return List.of();
    }
    List<Candle> closed = closeUpTo(bucket);
    startWith(bucket, trade);
    return closed;
  }

  /**
   * Tells the aggregator that the clock reads {@code nowMs}: the open candle and any empty
   * intervals that ended at or before now are closed. The interval containing now is left
   * open as a forward-fill, ready for the next trade.
   */
  public List<Candle> advanceTo(long nowMs) {
    if (!hasOpen) {
      return List.of();
    }
    long bucket = bucketOf(nowMs);
    if (bucket <= openTimeMs) {
      return List.of();
    }
    List<Candle> closed = closeUpTo(bucket);
    openTimeMs = bucket;
    open = close;
    high = close;
    low = close;
    volume = BigDecimal.ZERO;
    trades = 0;
    return closed;
  }

  private void startWith(long bucket, Trade trade) {
    hasOpen = true;
    openTimeMs = bucket;
    open = trade.price();
    high = open;
    low = open;
    close = open;
    volume = trade.quantity();
    trades = 1;
  }

  /**
   * Adds a trade to the open candle: the first trade of a forward-filled interval opens it at its
   * own price; later ones move high, low, close, volume and count ({@code max}/{@code min} keep
   * the earlier value on a tie, so its scale too).
   */
  private void fold(Trade trade) {
    if (trades == 0) {
      startWith(openTimeMs, trade);
      return;
    }
    BigDecimal price = trade.price();
    high = high.max(price);
    low = low.min(price);
    close = price;
    volume = volume.add(trade.quantity());
    trades++;
  }

  /** Closes the open candle and forward-fills every empty interval before {@code bucket}. */
  private List<Candle> closeUpTo(long bucket) {
    List<Candle> closed = new ArrayList<>();
    closed.add(openCandle());
    long gaps = (bucket - openTimeMs) / intervalMs - 1;
    long firstFill = openTimeMs + intervalMs;
    if (gaps > capacity) {
      firstFill += (gaps - capacity) * intervalMs;
      gaps = capacity;
    }
    for (long i = 0; i < gaps; i++) {
      closed.add(Candle.forwardFill(firstFill + i * intervalMs, close));
    }
    for (Candle candle : closed) {
      append(candle);
    }
    return closed;
  }

  private void append(Candle candle) {
    if (logEnd == log.length) {
      Candle[] fresh = new Candle[log.length];
      System.arraycopy(log, logEnd - capacity, fresh, 0, capacity);
      log = fresh;
      logEnd = capacity;
    }
    log[logEnd++] = candle;
  }

  private long bucketOf(long timestampMs) {
    return Math.floorDiv(timestampMs, intervalMs) * intervalMs;
  }

  /**
   * Closed candles, oldest first, at most {@code capacity}: an unmodifiable snapshot that later
   * candles do not change.
   */
  public List<Candle> history() {
    return new Window(log, Math.max(0, logEnd - capacity), logEnd);
  }

  /** The number of closed candles held. */
  public int closedCount() {
    return Math.min(logEnd, capacity);
  }

  /** The candle still open, or {@code null} before the first trade. */
  public Candle openCandle() {
    return hasOpen ? new Candle(openTimeMs, open, high, low, close, volume, trades) : null;
  }

  public long lateTrades() {
    return lateTrades;
  }

  /** An unmodifiable view of {@code candles[from, to)}, slots that are never written again. */
  private static final class Window extends AbstractList<Candle> implements RandomAccess {
    private final Candle[] candles;
    private final int from;
    private final int size;

    Window(Candle[] candles, int from, int to) {
      this.candles = candles;
      this.from = from;
      this.size = to - from;
    }

    @Override
    public Candle get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException("index " + index + ", size " + size);
      }
      return candles[from + index];
    }

    @Override
    public int size() {
      return size;
    }
  }
}
